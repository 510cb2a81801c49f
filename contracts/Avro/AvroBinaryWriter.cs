using System.Buffers;
using System.Text;

namespace Accounts.Contracts.Avro;

/// <summary>Writes Avro binary primitives (zig-zag varints, length-prefixed UTF-8) straight into a buffer.</summary>
public readonly ref struct AvroBinaryWriter(IBufferWriter<byte> output)
{
    const int MaxVarintLength = 10;
    const int UuidLength = 36;

    public void WriteLong(long value)
    {
        var span = output.GetSpan(MaxVarintLength);
        var zigZag = (ulong)((value << 1) ^ (value >> 63));
        var written = 0;
        while (zigZag >= 0x80)
        {
            span[written++] = (byte)(zigZag | 0x80);
            zigZag >>= 7;
        }

        span[written++] = (byte)zigZag;
        output.Advance(written);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteLong(length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    /// <summary>A string with logical type uuid, in the 36-character hyphenated lower-case form.</summary>
    public void WriteUuid(Guid value)
    {
        WriteLong(UuidLength);
        value.TryFormat(output.GetSpan(UuidLength), out var written, "D");
        output.Advance(written);
    }

    /// <summary>A long with logical type timestamp-micros (microseconds since the Unix epoch, UTC).</summary>
    public void WriteTimestampMicros(DateTimeOffset value) => WriteLong(AvroTime.ToMicros(value));

    /// <summary>A <c>["null", "string"]</c> union: branch 0 for null, branch 1 then the string.</summary>
    public void WriteOptionalString(string? value)
    {
        if (value is null)
        {
            WriteLong(0);
            return;
        }

        WriteLong(1);
        WriteString(value);
    }
}
