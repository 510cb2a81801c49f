using Accounts.Contracts.Avro;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Accounts.Contracts.Tests.OpenRegistry;

/// <summary>Another assembly adds a message type (a record and its .avsc files) and gets encoding, decoding and resolution.</summary>
public class OpenRegistryTests
{
    static readonly AvroContracts Parcels = new(AvroContracts.LoadEmbeddedSchemas(typeof(ParcelShipped).Assembly));
    static readonly AvroSingleObjectCodec V2Service = new(Parcels);
    static readonly AvroSingleObjectCodec V1Service = new(Parcels, new ContractVersionPins().Pin<ParcelShipped>(1));

    static readonly ParcelShipped Shipped = new(
        Guid.Parse("0b7e6a1c-2f7d-4c1e-9a3b-5d8f0e2c4a61"), 7, Samples.OccurredAt, "Swiss Post", 1250, Fragile: true, "leave at the door", 99.5);

    [Fact]
    public void A_message_of_another_assembly_round_trips_with_no_codec_code()
    {
        var bytes = V2Service.Encode(Shipped);

        Assert.Equal([1, 2], Parcels.VersionsOf(typeof(ParcelShipped)).Select(version => version.Version));
        Assert.Equal(Parcels.Latest(typeof(ParcelShipped)).Fingerprint, SingleObjectEncoding.ReadFingerprint(bytes));
        Assert.Equal(Shipped, V2Service.Decode(bytes));
        Assert.Equal(Shipped with { TrackingNote = null, InsuredValue = null }, V2Service.Decode(V2Service.Encode(Shipped with { TrackingNote = null, InsuredValue = null })));
    }

    [Fact]
    public void Its_body_is_plain_avro_that_apache_avro_reads_by_the_schema()
    {
        var latest = Parcels.Latest(typeof(ParcelShipped));
        var bytes = V2Service.Encode(Shipped);

        var record = new GenericDatumReader<GenericRecord>(latest.Schema, latest.Schema)
            .Read(null!, new BinaryDecoder(new MemoryStream(bytes, SingleObjectEncoding.HeaderLength, bytes.Length - SingleObjectEncoding.HeaderLength)));

        Assert.Equal(Shipped.ParcelId, record["parcelId"]);
        Assert.Equal(7L, record["sequence"]);
        Assert.Equal(Samples.OccurredAt.UtcDateTime, record["shippedAt"]);
        Assert.Equal("Swiss Post", record["carrier"]);
        Assert.Equal(1250, record["weightGrams"]);
        Assert.Equal(true, record["fragile"]);
        Assert.Equal("leave at the door", record["trackingNote"]);
        Assert.Equal(99.5, record["insuredValue"]);
    }

    [Fact]
    public void A_v1_reader_reads_v2_bytes_and_the_fields_it_lacks_take_their_csharp_defaults()
    {
        var read = V1Service.Decode(V2Service.Encode(Shipped));

        Assert.Equal(Shipped with { TrackingNote = null, InsuredValue = null }, read);
    }

    [Fact]
    public void A_v2_reader_reads_v1_bytes_and_the_new_fields_take_their_schema_defaults()
    {
        var written = V1Service.Encode(Shipped);

        Assert.Equal(Parcels.Version(typeof(ParcelShipped), 1).Fingerprint, SingleObjectEncoding.ReadFingerprint(written));
        Assert.Equal(Shipped with { TrackingNote = null, InsuredValue = null }, V2Service.Decode(written));
    }

    [Fact]
    public void It_joins_the_contracts_of_this_system_in_one_registry_and_passes_the_evolution_gate()
    {
        var together = new AvroContracts([.. AvroContracts.Default.AllVersions, .. Parcels.AllVersions]);
        var codec = new AvroSingleObjectCodec(together);

        Assert.Empty(SchemaEvolutionGate.Check(together, typeof(ParcelShipped)));
        Assert.Equal(Shipped, codec.Decode(V2Service.Encode(Shipped)));
        Assert.Equal(Samples.Registered(), codec.Decode(AvroSingleObjectCodec.Latest.Encode(Samples.Registered())));
    }

    [Fact]
    public void A_schema_can_be_given_as_text()
    {
        var v1 = Parcels.Version(typeof(ParcelShipped), 1);

        var parsed = AvroContracts.Parse(typeof(ParcelShipped), 1, v1.Json);

        Assert.Equal(v1.Fingerprint, parsed.Fingerprint);
        Assert.Equal(Shipped with { TrackingNote = null, InsuredValue = null }, parsed.Mapping.FromRecord(parsed.Mapping.ToRecord(Shipped)));
        Assert.IsType<RecordSchema>(parsed.Schema);
    }
}
