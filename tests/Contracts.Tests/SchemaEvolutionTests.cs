using Accounts.Contracts.Avro;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Accounts.Contracts.Tests;

public class SchemaEvolutionTests
{
    const string UserRegisteredV3Head = """
        { "type": "record", "name": "UserRegistered", "namespace": "accounts.contracts", "doc": "A deliberately breaking v3.", "fields": [
          { "name": "userId", "type": { "type": "string", "logicalType": "uuid" }, "doc": "d" },
          { "name": "version", "type": "long", "doc": "d" },
          { "name": "occurredAt", "type": { "type": "long", "logicalType": "timestamp-micros" }, "doc": "d" },
        """;

    public static TheoryData<string> Messages => [.. AvroContracts.Default.MessageTypes.Select(type => type.Name)];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_version_is_backward_and_forward_compatible_with_every_earlier_one(string message)
    {
        var problems = SchemaEvolutionGate.Check(AvroContracts.Default, TypeOf(message));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Apache_avro_agrees_and_resolves_real_bytes_between_all_versions(string message)
    {
        var versions = AvroContracts.Default.VersionsOf(TypeOf(message));
        var sample = Samples.Of(TypeOf(message));

        foreach (var writer in versions)
        {
            foreach (var reader in versions)
            {
                Assert.True(reader.Schema.CanRead(writer.Schema), $"Apache.Avro: {reader} cannot read {writer}");

                var written = Write(writer.Mapping.ToRecord(sample), writer.Schema);
                var read = new GenericDatumReader<GenericRecord>(writer.Schema, reader.Schema).Read(null!, new BinaryDecoder(new MemoryStream(written)));
                Assert.Equal(reader.Schema.Fields.Select(f => f.Name), read.Schema.Fields.Select(f => f.Name));
                Assert.IsType(TypeOf(message), reader.Mapping.FromRecord(read));
            }
        }
    }

    [Fact]
    public void A_new_version_that_adds_a_field_without_a_default_fails()
    {
        var v3 = Schema.Parse(UserRegisteredV3Head + """
              { "name": "email", "type": "string", "doc": "d" },
              { "name": "displayName", "type": "string", "doc": "d" },
              { "name": "preferredLanguage", "type": ["null", "string"], "default": null, "doc": "d" },
              { "name": "country", "type": "string", "doc": "added without a default" }
            ] }
            """);

        var problems = SchemaEvolutionGate.Check("UserRegistered", [.. Released(), v3]);

        Assert.Contains(problems, p => p.Contains("backward (v3 reader, v1 data)", StringComparison.Ordinal) && p.Contains("UserRegistered.country", StringComparison.Ordinal) && p.Contains("has no default", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("backward (v3 reader, v2 data)", StringComparison.Ordinal) && p.Contains("country", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("forward", StringComparison.Ordinal));
        Assert.False(v3.CanRead(Released()[1]));
    }

    [Fact]
    public void A_new_version_that_changes_a_field_type_fails()
    {
        var v3 = Schema.Parse(UserRegisteredV3Head + """
              { "name": "email", "type": "long", "doc": "now a number" },
              { "name": "displayName", "type": "string", "doc": "d" },
              { "name": "preferredLanguage", "type": ["null", "string"], "default": null, "doc": "d" }
            ] }
            """);

        var problems = SchemaEvolutionGate.Check("UserRegistered", [.. Released(), v3]);

        Assert.Contains(problems, p => p.Contains("backward (v3 reader, v2 data)", StringComparison.Ordinal) && p.Contains("UserRegistered.email: type changed from string to long", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("forward (v2 reader, v3 data)", StringComparison.Ordinal) && p.Contains("UserRegistered.email: type changed from long to string", StringComparison.Ordinal));
        Assert.False(v3.CanRead(Released()[1]));
        Assert.False(Released()[1].CanRead(v3));
    }

    [Fact]
    public void A_new_version_that_removes_a_field_old_readers_need_fails()
    {
        var v3 = Schema.Parse(UserRegisteredV3Head + """
              { "name": "displayName", "type": "string", "doc": "d" },
              { "name": "preferredLanguage", "type": ["null", "string"], "default": null, "doc": "d" }
            ] }
            """);

        var problems = SchemaEvolutionGate.Check("UserRegistered", [.. Released(), v3]);

        Assert.Contains(problems, p => p.Contains("forward (v1 reader, v3 data)", StringComparison.Ordinal) && p.Contains("UserRegistered.email", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("backward", StringComparison.Ordinal));
    }

    [Fact]
    public void Widening_by_avro_promotion_and_optional_fields_is_allowed()
    {
        var writer = (RecordSchema)Schema.Parse("""{ "type": "record", "name": "R", "fields": [ { "name": "n", "type": "int" } ] }""");
        var reader = Schema.Parse("""{ "type": "record", "name": "R", "fields": [ { "name": "n", "type": "long" }, { "name": "o", "type": ["null", "string"], "default": null } ] }""");

        Assert.Empty(AvroResolutionRules.WhyReaderCannotRead(writer, reader));
        Assert.Contains(AvroResolutionRules.WhyReaderCannotRead(reader, writer), p => p.Contains("R.n: type changed from long to int", StringComparison.Ordinal));
    }

    static Schema[] Released() => [.. AvroContracts.Default.VersionsOf(typeof(UserRegistered)).Select(v => (Schema)v.Schema)];

    static Type TypeOf(string message) => AvroContracts.Default.MessageTypes.Single(type => type.Name == message);

    static byte[] Write(GenericRecord record, RecordSchema schema)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
