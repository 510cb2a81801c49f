using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Accounts.Contracts.Avro;

/// <summary>
/// Encodes contract messages in the Avro single-object encoding with this service's version of their schema, and
/// decodes any known writer version (looked up by fingerprint) into this service's version by Avro schema resolution.
/// When writer and reader are both the latest version the hand-written codec reads and writes directly.
/// </summary>
public sealed class AvroSingleObjectCodec
{
    [ThreadStatic]
    static ArrayBufferWriter<byte>? t_buffer;

    readonly Dictionary<Type, AvroContractVersion> _ownVersions;
    readonly ConcurrentDictionary<(long Writer, long Reader), GenericDatumReader<GenericRecord>> _resolvingReaders = new();

    public AvroSingleObjectCodec(AvroContracts contracts, ContractVersionPins? pins = null)
    {
        Contracts = contracts;
        _ownVersions = contracts.MessageTypes.ToDictionary(
            type => type,
            type => pins?.PinnedVersionOf(type) is { } version ? contracts.Version(type, version) : contracts.Latest(type));
    }

    /// <summary>Latest version of every contract, the embedded schemas.</summary>
    public static AvroSingleObjectCodec Latest { get; } = new(AvroContracts.Default);

    public AvroContracts Contracts { get; }

    /// <summary>The version this codec writes and reads into for the message type.</summary>
    public AvroContractVersion OwnVersionOf(Type messageType) =>
        _ownVersions.TryGetValue(messageType, out var version) ? version : throw new SerializationException($"{messageType.Name} is not an Avro contract message.");

    public byte[] Encode(object message)
    {
        var own = OwnVersionOf(message.GetType());
        var codec = Contracts.CodecOf(own.MessageType);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();

        SingleObjectEncoding.WriteHeader(buffer.GetSpan(SingleObjectEncoding.HeaderLength), own.Fingerprint);
        buffer.Advance(SingleObjectEncoding.HeaderLength);

        if (IsLatest(own))
            codec.WriteLatest(message, new AvroBinaryWriter(buffer));
        else
            WriteGeneric(codec.ToRecord(message, own.Schema), own.Schema, buffer);

        return buffer.WrittenSpan.ToArray();
    }

    public object Decode(ReadOnlyMemory<byte> message)
    {
        var fingerprint = SingleObjectEncoding.ReadFingerprint(message.Span);
        if (!Contracts.TryGetByFingerprint(fingerprint, out var writer))
            throw new SerializationException($"Unknown Avro schema fingerprint {fingerprint:X16}: no released version of any contract has it (a newer writer than this service, or not a contract).");

        var reader = _ownVersions[writer.MessageType];
        var body = message[SingleObjectEncoding.HeaderLength..];
        var codec = Contracts.CodecOf(writer.MessageType);

        if (writer == reader && IsLatest(reader))
        {
            var binary = new AvroBinaryReader(body.Span);
            var decoded = codec.ReadLatest(ref binary);
            binary.EnsureEnd();
            return decoded;
        }

        return codec.FromRecord(ReadResolved(writer, reader, body));
    }

    bool IsLatest(AvroContractVersion version) => Contracts.Latest(version.MessageType) == version;

    GenericRecord ReadResolved(AvroContractVersion writer, AvroContractVersion reader, ReadOnlyMemory<byte> body)
    {
        var datumReader = _resolvingReaders.GetOrAdd(
            (writer.Fingerprint, reader.Fingerprint),
            static (_, pair) => new GenericDatumReader<GenericRecord>(pair.writer.Schema, pair.reader.Schema),
            (writer, reader));

        using var stream = MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        try
        {
            var record = datumReader.Read(reuse: null!, new BinaryDecoder(stream));
            if (stream.Position != stream.Length)
                throw new SerializationException($"Corrupt Avro body for {writer}: {stream.Length - stream.Position} bytes left over after the last field.");
            return record;
        }
        catch (Exception ex) when (ex is AvroException or EndOfStreamException or IOException or FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new SerializationException($"Corrupt Avro body for {writer} read as v{reader.Version}: {ex.Message}", ex);
        }
    }

    static void WriteGeneric(GenericRecord record, RecordSchema schema, ArrayBufferWriter<byte> buffer)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(stream));
        buffer.Write(stream.GetBuffer().AsSpan(0, (int)stream.Length));
    }
}
