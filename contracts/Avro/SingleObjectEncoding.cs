using System.Buffers.Binary;
using System.Runtime.Serialization;

namespace Accounts.Contracts.Avro;

/// <summary>
/// The header of the Avro single-object encoding: the marker <c>C3 01</c>, then the 8-byte little-endian
/// CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical Form. The Avro binary body follows it.
/// </summary>
public static class SingleObjectEncoding
{
    public const byte MarkerByte0 = 0xC3;
    public const byte MarkerByte1 = 0x01;
    public const int HeaderLength = 10;

    public static void WriteHeader(Span<byte> destination, long fingerprint)
    {
        destination[0] = MarkerByte0;
        destination[1] = MarkerByte1;
        BinaryPrimitives.WriteInt64LittleEndian(destination[2..HeaderLength], fingerprint);
    }

    /// <summary>Returns the writer schema's fingerprint; throws when the bytes are not single-object encoded.</summary>
    public static long ReadFingerprint(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderLength)
            throw new SerializationException($"Not an Avro single-object message: {message.Length} bytes, shorter than the {HeaderLength}-byte header.");

        if (message[0] != MarkerByte0 || message[1] != MarkerByte1)
            throw new SerializationException($"Not an Avro single-object message: marker is {message[0]:X2} {message[1]:X2}, expected C3 01.");

        return BinaryPrimitives.ReadInt64LittleEndian(message[2..HeaderLength]);
    }
}
