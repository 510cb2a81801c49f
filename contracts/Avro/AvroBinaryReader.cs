using System.Buffers.Text;
using System.Runtime.Serialization;
using System.Text;

namespace Accounts.Contracts.Avro;

/// <summary>
/// Reads Avro binary primitives from a span with bounds checks, so corrupt bytes fail with a
/// <see cref="SerializationException"/> instead of reading garbage or allocating huge buffers.
/// </summary>
public ref struct AvroBinaryReader(ReadOnlySpan<byte> body)
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    ReadOnlySpan<byte> _remaining = body;

    public long ReadLong()
    {
        ulong zigZag = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_remaining.IsEmpty)
                throw Corrupt("the body ends inside a number");

            var next = _remaining[0];
            _remaining = _remaining[1..];
            zigZag |= (ulong)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
                return (long)(zigZag >> 1) ^ -(long)(zigZag & 1);
        }

        throw Corrupt("a number is longer than 10 bytes");
    }

    public string ReadString()
    {
        var bytes = ReadLengthPrefixed("string");
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new SerializationException("Corrupt Avro body: a string is not valid UTF-8.", ex);
        }
    }

    public Guid ReadUuid()
    {
        var bytes = ReadLengthPrefixed("uuid");
        return Utf8Parser.TryParse(bytes, out Guid value, out var consumed) && consumed == bytes.Length
            ? value
            : throw Corrupt("a uuid is not in the 8-4-4-4-12 form");
    }

    public DateTimeOffset ReadTimestampMicros() => AvroTime.FromMicros(ReadLong());

    public string? ReadOptionalString() => ReadLong() switch
    {
        0 => null,
        1 => ReadString(),
        var branch => throw Corrupt($"union branch {branch} of [\"null\", \"string\"] does not exist"),
    };

    /// <summary>Every byte of the body must belong to the message; trailing bytes mean it was not written with this schema.</summary>
    public readonly void EnsureEnd()
    {
        if (!_remaining.IsEmpty)
            throw Corrupt($"{_remaining.Length} bytes left over after the last field");
    }

    ReadOnlySpan<byte> ReadLengthPrefixed(string what)
    {
        var length = ReadLong();
        if (length < 0 || length > _remaining.Length)
            throw Corrupt($"a {what} claims {length} bytes but {_remaining.Length} remain");

        var bytes = _remaining[..(int)length];
        _remaining = _remaining[(int)length..];
        return bytes;
    }

    static SerializationException Corrupt(string reason) => new($"Corrupt Avro body: {reason}.");
}
