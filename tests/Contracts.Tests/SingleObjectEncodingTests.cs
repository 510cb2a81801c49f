using System.Buffers.Binary;
using System.Reflection;
using System.Runtime.Serialization;
using Accounts.Contracts.Avro;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Accounts.Contracts.Tests;

public class SingleObjectEncodingTests
{
    [Theory]
    [MemberData(nameof(SchemaEvolutionTests.Messages), MemberType = typeof(SchemaEvolutionTests))]
    public void Writes_the_marker_then_the_little_endian_fingerprint_then_the_avro_body(string message)
    {
        var type = AvroContracts.Default.MessageTypes.Single(t => t.Name == message);
        var sample = Samples.Of(type);
        var latest = AvroContracts.Default.Latest(type);

        var bytes = AvroSingleObjectCodec.Latest.Encode(sample);

        Assert.Equal([0xC3, 0x01], bytes[..2]);
        Assert.Equal(latest.Fingerprint, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(2, 8)));
        Assert.Equal(ApacheAvroBody(sample, latest.Schema), bytes[10..]);
        Assert.Equal(sample, AvroSingleObjectCodec.Latest.Decode(bytes));
    }

    [Theory]
    [MemberData(nameof(ReleasedBytes.Latest), MemberType = typeof(ReleasedBytes))]
    public void The_same_message_keeps_the_bytes_it_had_on_the_wire(string message, string released)
    {
        var sample = Samples.Of(AvroContracts.Default.MessageTypes.Single(t => t.Name == message));

        Assert.Equal(released, Convert.ToHexString(AvroSingleObjectCodec.Latest.Encode(sample)));
        Assert.Equal(sample, AvroSingleObjectCodec.Latest.Decode(Convert.FromHexString(released)));
    }

    [Fact]
    public void The_union_null_branch_and_a_pinned_version_keep_their_bytes_too()
    {
        var v1Service = new AvroSingleObjectCodec(AvroContracts.Default, new ContractVersionPins().Pin<UserRegistered>(1));

        Assert.Equal(ReleasedBytes.RegisteredWithoutLanguage, Convert.ToHexString(AvroSingleObjectCodec.Latest.Encode(Samples.Registered(preferredLanguage: null))));
        Assert.Equal(ReleasedBytes.RegisteredV1, Convert.ToHexString(v1Service.Encode(Samples.Registered())));
    }

    [Fact]
    public void The_fingerprint_is_laid_out_least_significant_byte_first()
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered());

        // UserRegistered v2 has fingerprint 0xBE6CC94218A3CFB1.
        Assert.Equal([0xC3, 0x01, 0xB1, 0xCF, 0xA3, 0x18, 0x42, 0xC9, 0x6C, 0xBE], bytes[..10]);
    }

    [Fact]
    public void A_body_apache_avro_wrote_is_read()
    {
        var sample = Samples.Registered(preferredLanguage: null);
        var latest = AvroContracts.Default.Latest(typeof(UserRegistered));
        var header = new byte[SingleObjectEncoding.HeaderLength];
        SingleObjectEncoding.WriteHeader(header, latest.Fingerprint);

        var decoded = AvroSingleObjectCodec.Latest.Decode((byte[])[.. header, .. ApacheAvroBody(sample, latest.Schema)]);

        Assert.Equal(sample, decoded);
    }

    [Fact]
    public void An_unknown_fingerprint_is_rejected_by_name()
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered());
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(2), 0x0123456789ABCDEF);

        Assert.Contains("Unknown Avro schema fingerprint 0123456789ABCDEF", Rejected(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x31, 0x7D, 0x00, 0x00, 0x00, 0x00 }, "marker is 7B 22")]
    [InlineData(new byte[] { 0xC3, 0x01, 0x00 }, "shorter than the 10-byte header")]
    public void Bytes_that_are_not_single_object_encoded_are_rejected(byte[] bytes, string reason) =>
        Assert.Contains(reason, Rejected(bytes), StringComparison.Ordinal);

    [Fact]
    public void A_truncated_or_padded_body_is_rejected()
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered());

        Assert.Contains("Corrupt Avro body", Rejected(bytes[..^3]), StringComparison.Ordinal);
        Assert.Contains("1 bytes left over after the last field", Rejected([.. bytes, 0x00]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_length_beyond_the_body_is_rejected_without_allocating_it()
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered());
        // The userId's length prefix (the body's first byte, 0x48 = 36) now claims 2^30 bytes, which Apache.Avro 1.12 would allocate.
        byte[] corrupt = [.. bytes[..10], 0x80, 0x80, 0x80, 0x80, 0x08, .. bytes[11..]];

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var reason = Rejected(corrupt);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.True(allocated < 1 << 20, $"decoding allocated {allocated} bytes");
        Assert.Contains("a string claims 1073741824 bytes but", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x04, "union branch")]   // branch 2 of ["null", "string"]
    [InlineData(0x01, "union branch")]   // branch -1
    public void A_union_branch_the_schema_does_not_have_is_rejected(byte branch, string reason)
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered(preferredLanguage: null));
        bytes[^1] = branch;

        Assert.Contains(reason, Rejected(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_that_is_not_utf8_or_a_uuid_that_is_not_one_is_rejected()
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered());
        var badUtf8 = bytes.ToArray();
        badUtf8[bytes.AsSpan().IndexOf("Ada Lovelace"u8)] = 0xFF;
        var badUuid = bytes.ToArray();
        badUuid[SingleObjectEncoding.HeaderLength + 1] = (byte)'x';

        Assert.Contains("a string is not valid UTF-8", Rejected(badUtf8), StringComparison.Ordinal);
        Assert.Contains("Corrupt Avro body", Rejected(badUuid), StringComparison.Ordinal);
    }

    static string Rejected(byte[] bytes) =>
        Assert.Throws<SerializationException>(() => AvroSingleObjectCodec.Latest.Decode(bytes)).Message;

    /// <summary>What Apache.Avro's generic writer writes for the message, its fields taken by name (independent of the codec's mapping).</summary>
    static byte[] ApacheAvroBody(object message, RecordSchema schema)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(Generic(message, schema), new BinaryEncoder(stream));
        return stream.ToArray();
    }

    static GenericRecord Generic(object message, RecordSchema schema)
    {
        var record = new GenericRecord(schema);
        foreach (var field in schema.Fields)
        {
            var value = message.GetType().GetProperty(field.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)!.GetValue(message);
            record.Add(field.Name, Generic(value, field.Schema));
        }
        return record;
    }

    static object? Generic(object? value, Schema schema) => (value, schema) switch
    {
        (null, _) => null,
        (DateTimeOffset time, _) => time.UtcDateTime,
        (_, UnionSchema union) => Generic(value, union.Schemas.Single(branch => branch.Tag != Schema.Type.Null)),
        (_, RecordSchema record) => Generic(value, record),
        (Array items, ArraySchema array) => items.Cast<object>().Select(item => Generic(item, array.ItemSchema)).ToArray(),
        _ => value,
    };
}
