using System.Buffers.Binary;
using System.Runtime.Serialization;
using Accounts.Contracts.Avro;
using Avro.Generic;
using Avro.IO;

namespace Accounts.Contracts.Tests;

public class SingleObjectEncodingTests
{
    [Theory]
    [MemberData(nameof(SchemaEvolutionTests.Messages), MemberType = typeof(SchemaEvolutionTests))]
    public void should_write_marker_then_little_endian_fingerprint_then_the_avro_body(string message)
    {
        var type = AvroContracts.Default.MessageTypes.Single(t => t.Name == message);
        var sample = Samples.Of(type);
        var latest = AvroContracts.Default.Latest(type);

        var bytes = AvroSingleObjectCodec.Latest.Encode(sample);

        Assert.Equal([0xC3, 0x01], bytes[..2]);
        Assert.Equal(latest.Fingerprint, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(2, 8)));
        // The hand-written codec writes exactly what Apache.Avro's generic writer writes for the schema.
        Assert.Equal(GenericBody(sample, latest), bytes[10..]);
        Assert.Equal(sample, AvroSingleObjectCodec.Latest.Decode(bytes));
    }

    [Fact]
    public void should_lay_out_the_fingerprint_least_significant_byte_first()
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered());

        // UserRegistered v2 has fingerprint 0xBE6CC94218A3CFB1.
        Assert.Equal([0xC3, 0x01, 0xB1, 0xCF, 0xA3, 0x18, 0x42, 0xC9, 0x6C, 0xBE], bytes[..10]);
    }

    [Fact]
    public void should_read_a_body_apache_avro_wrote()
    {
        var sample = Samples.Registered(preferredLanguage: null);
        var latest = AvroContracts.Default.Latest(typeof(UserRegistered));
        var header = new byte[SingleObjectEncoding.HeaderLength];
        SingleObjectEncoding.WriteHeader(header, latest.Fingerprint);

        var decoded = AvroSingleObjectCodec.Latest.Decode((byte[])[.. header, .. GenericBody(sample, latest)]);

        Assert.Equal(sample, decoded);
    }

    [Fact]
    public void should_reject_an_unknown_fingerprint_naming_it()
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered());
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(2), 0x0123456789ABCDEF);

        var error = Assert.Throws<SerializationException>(() => AvroSingleObjectCodec.Latest.Decode(bytes));

        Assert.Contains("Unknown Avro schema fingerprint 0123456789ABCDEF", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x31, 0x7D, 0x00, 0x00, 0x00, 0x00 }, "marker is 7B 22")]
    [InlineData(new byte[] { 0xC3, 0x01, 0x00 }, "shorter than the 10-byte header")]
    public void should_reject_bytes_that_are_not_single_object_encoded(byte[] bytes, string reason)
    {
        var error = Assert.Throws<SerializationException>(() => AvroSingleObjectCodec.Latest.Decode(bytes));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void should_reject_a_truncated_or_padded_body()
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered());

        Assert.Contains("Corrupt Avro body", Assert.Throws<SerializationException>(() => AvroSingleObjectCodec.Latest.Decode(bytes.AsMemory(..^3))).Message, StringComparison.Ordinal);
        Assert.Contains("left over", Assert.Throws<SerializationException>(() => AvroSingleObjectCodec.Latest.Decode((byte[])[.. bytes, 0x00])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void should_reject_a_string_length_beyond_the_body_without_allocating_it()
    {
        var bytes = AvroSingleObjectCodec.Latest.Encode(Samples.Registered());
        // The userId's length prefix (first byte of the body): zig-zag 0x7E = 63, but the uuid is 36 bytes; then claim ~2^31.
        byte[] corrupt = [.. bytes[..10], 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, .. bytes[11..]];

        var error = Assert.Throws<SerializationException>(() => AvroSingleObjectCodec.Latest.Decode(corrupt));

        Assert.Contains("claims", error.Message, StringComparison.Ordinal);
    }

    static byte[] GenericBody(object message, AvroContractVersion version)
    {
        var record = AvroContracts.Default.CodecOf(version.MessageType).ToRecord(message, version.Schema);
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(version.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }
}
