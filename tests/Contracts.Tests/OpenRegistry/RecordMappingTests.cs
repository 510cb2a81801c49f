using Accounts.Contracts.Avro;

namespace Accounts.Contracts.Tests.OpenRegistry;

/// <summary>A record and a schema that do not fit are refused when the schema is loaded, naming the version and the field.</summary>
public class RecordMappingTests
{
    const string Head = """
        { "type": "record", "name": "ParcelShipped", "fields": [
          { "name": "parcelId", "type": { "type": "string", "logicalType": "uuid" } },
          { "name": "sequence", "type": "long" },
          { "name": "shippedAt", "type": { "type": "long", "logicalType": "timestamp-micros" } },
          { "name": "weightGrams", "type": "int" },
          { "name": "fragile", "type": "boolean" },
        """;

    [Fact]
    public void A_schema_field_without_a_constructor_parameter_is_refused()
    {
        var error = Refused(Head + """{ "name": "carrier", "type": "string" }, { "name": "colour", "type": "string" } ] }""");

        Assert.Contains("ParcelShipped v3: field 'colour' has no constructor parameter", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_type_the_parameter_cannot_hold_is_refused()
    {
        var error = Refused(Head + """{ "name": "carrier", "type": "long" } ] }""");

        Assert.Contains("ParcelShipped v3: field 'carrier'", error, StringComparison.Ordinal);
        Assert.Contains("cannot hold ParcelShipped.Carrier", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_the_schema_lacks_must_have_a_default_to_be_read_as()
    {
        var error = Refused("""
            { "type": "record", "name": "ParcelShipped", "fields": [
              { "name": "parcelId", "type": { "type": "string", "logicalType": "uuid" } }, { "name": "carrier", "type": "string" } ] }
            """);

        Assert.Contains("the schema has no field 'Sequence' and the constructor parameter has no default value", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "carrier", "type": ["null", "string"], "default": null }""", "field 'carrier'")]
    [InlineData("""{ "name": "carrier", "type": "string" }, { "name": "trackingNote", "type": "string" }""", "field 'trackingNote'")]
    public void Null_must_be_in_the_union_exactly_where_the_csharp_type_is_nullable(string fields, string refusedField)
    {
        var error = Refused(Head + fields + "] }");

        Assert.Contains(refusedField, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_supported_pairs_are_accepted_in_either_union_order()
    {
        var version = AvroContracts.Parse(typeof(ParcelShipped), 3, Head + """
            { "name": "carrier", "type": "string" }, { "name": "insuredValue", "type": ["double", "null"], "default": 0 } ] }
            """);
        var shipped = new ParcelShipped(Guid.NewGuid(), 1, Samples.OccurredAt, "DHL", 10, Fragile: false, TrackingNote: null, InsuredValue: 12.5);

        Assert.Equal(shipped, version.Mapping.FromRecord(version.Mapping.ToRecord(shipped)));
    }

    static string Refused(string schema) =>
        Assert.Throws<InvalidOperationException>(() => AvroContracts.Parse(typeof(ParcelShipped), 3, schema)).Message;
}
