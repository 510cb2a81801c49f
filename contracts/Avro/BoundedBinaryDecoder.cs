using System.Buffers;
using System.Text;
using Avro;
using Avro.IO;
using Decoder = Avro.IO.Decoder;

namespace Accounts.Contracts.Avro;

/// <summary>
/// Apache.Avro's <see cref="BinaryDecoder"/> over one message body, with the checks 1.12 leaves out for bytes from the
/// network: a string or bytes length is checked against what is left of the body before anything is allocated (1.12 would
/// allocate whatever a corrupt length prefix claims, up to 2 GB), skips stay inside the body, and strings must be valid
/// UTF-8 (1.12 silently replaces bad bytes). Everything else is the library's own decoding.
/// </summary>
internal sealed class BoundedBinaryDecoder(MemoryStream body) : Decoder
{
    const int StackLimit = 256;

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    readonly BinaryDecoder _decoder = new(body);

    /// <summary>Bytes of the body not read yet.</summary>
    public long Remaining => body.Length - body.Position;

    public string ReadString()
    {
        var length = ReadLength("string");
        byte[]? rented = null;
        try
        {
            var bytes = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
            body.ReadExactly(bytes);
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new AvroException("a string is not valid UTF-8", ex);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public byte[] ReadBytes()
    {
        var bytes = new byte[ReadLength("bytes value")];
        body.ReadExactly(bytes);
        return bytes;
    }

    public void SkipString() => Skip(ReadLength("string"));

    public void SkipBytes() => Skip(ReadLength("bytes value"));

    public void SkipFloat() => Skip(sizeof(float));

    public void SkipDouble() => Skip(sizeof(double));

    public void SkipFixed(int len) => Skip(len);

    public void ReadFixed(byte[] buffer) => ReadFixed(buffer, 0, buffer.Length);

    public void ReadFixed(byte[] buffer, int start, int length)
    {
        EnsureRemaining(length, "fixed value");
        _decoder.ReadFixed(buffer, start, length);
    }

    public void ReadNull() => _decoder.ReadNull();

    public bool ReadBoolean() => _decoder.ReadBoolean();

    public int ReadInt() => _decoder.ReadInt();

    public long ReadLong() => _decoder.ReadLong();

    public float ReadFloat() => _decoder.ReadFloat();

    public double ReadDouble() => _decoder.ReadDouble();

    public int ReadEnum() => _decoder.ReadEnum();

    public long ReadArrayStart() => _decoder.ReadArrayStart();

    public long ReadArrayNext() => _decoder.ReadArrayNext();

    public long ReadMapStart() => _decoder.ReadMapStart();

    public long ReadMapNext() => _decoder.ReadMapNext();

    public int ReadUnionIndex() => _decoder.ReadUnionIndex();

    public void SkipNull() => _decoder.SkipNull();

    public void SkipBoolean() => _decoder.SkipBoolean();

    public void SkipInt() => _decoder.SkipInt();

    public void SkipLong() => _decoder.SkipLong();

    public void SkipEnum() => _decoder.SkipEnum();

    public void SkipUnionIndex() => _decoder.SkipUnionIndex();

    int ReadLength(string what)
    {
        var length = _decoder.ReadLong();
        EnsureRemaining(length, what);
        return (int)length;
    }

    void EnsureRemaining(long length, string what)
    {
        if (length < 0 || length > Remaining)
            throw new AvroException($"a {what} claims {length} bytes but {Remaining} remain");
    }

    void Skip(long length)
    {
        EnsureRemaining(length, "skipped value");
        body.Seek(length, SeekOrigin.Current);
    }
}
