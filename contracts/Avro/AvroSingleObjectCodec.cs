using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Accounts.Contracts.Avro;

/// <summary>
/// Encodes contract messages in the Avro single-object encoding with this service's version of their schema, and decodes
/// any known writer version (looked up by fingerprint) into this service's version by Avro schema resolution.
/// </summary>
/// <remarks>
/// Apache.Avro does the Avro: <see cref="GenericDatumWriter{T}"/> with the own (writer) schema, and
/// <see cref="GenericDatumReader{T}"/> with the writer's and the reader's schemas, which applies the specification's
/// resolution rules (defaults, promotions, skipped fields). Each message record maps to a <see cref="GenericRecord"/> through
/// an <see cref="AvroRecordMapping"/> derived once from its constructor and schema. Classes generated from the <c>.avsc</c>
/// at build time (avrogen, <see cref="Avro.Specific"/>) were not chosen: Apache.Avro.Tools is not available here, and the
/// generated classes are mutable <c>ISpecificRecord</c> types, whereas messages stay plain C# records that code compares
/// and pattern-matches. Readers and writers are built for every version when the codec is made, so a schema that does not
/// resolve fails at start, not at the first message.
/// </remarks>
public sealed class AvroSingleObjectCodec
{
    [ThreadStatic]
    static MemoryStream? t_buffer;

    readonly FrozenDictionary<Type, OwnVersion> _ownVersions;
    readonly FrozenDictionary<long, ResolvingReader> _readersByWriterFingerprint;

    public AvroSingleObjectCodec(AvroContracts contracts, ContractVersionPins? pins = null)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        Contracts = contracts;
        _ownVersions = contracts.MessageTypes.ToFrozenDictionary(
            type => type,
            type => new OwnVersion(pins?.PinnedVersionOf(type) is { } pinned ? contracts.Version(type, pinned) : contracts.Latest(type)));
        _readersByWriterFingerprint = contracts.AllVersions.ToFrozenDictionary(
            writer => writer.Fingerprint,
            writer => new ResolvingReader(writer, _ownVersions[writer.MessageType].Version));
    }

    /// <summary>Latest version of every contract, the embedded schemas.</summary>
    public static AvroSingleObjectCodec Latest { get; } = new(AvroContracts.Default);

    public AvroContracts Contracts { get; }

    /// <summary>The version this codec writes and reads into for the message type.</summary>
    public AvroContractVersion OwnVersionOf(Type messageType) => Own(messageType).Version;

    public byte[] Encode(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var own = Own(message.GetType());
        var buffer = t_buffer ??= new MemoryStream(256);
        buffer.SetLength(0);

        Span<byte> header = stackalloc byte[SingleObjectEncoding.HeaderLength];
        SingleObjectEncoding.WriteHeader(header, own.Version.Fingerprint);
        buffer.Write(header);
        own.Writer.Write(own.Version.Mapping.ToRecord(message), new BinaryEncoder(buffer));

        return buffer.ToArray();
    }

    public object Decode(ReadOnlyMemory<byte> message)
    {
        var fingerprint = SingleObjectEncoding.ReadFingerprint(message.Span);
        if (!_readersByWriterFingerprint.TryGetValue(fingerprint, out var reader))
            throw new SerializationException($"Unknown Avro schema fingerprint {fingerprint:X16}: no released version of any contract has it (a newer writer than this service, or not a contract).");

        return reader.Read(message[SingleObjectEncoding.HeaderLength..]);
    }

    OwnVersion Own(Type messageType) =>
        _ownVersions.TryGetValue(messageType, out var own) ? own : throw new SerializationException($"{messageType.Name} is not an Avro contract message.");

    sealed class OwnVersion(AvroContractVersion version)
    {
        public AvroContractVersion Version { get; } = version;

        /// <summary>Apache.Avro's writers are resolved when made and may be shared between threads.</summary>
        public GenericDatumWriter<GenericRecord> Writer { get; } = new(version.Schema);
    }

    /// <summary>Reads bodies written with one version into the codec's own version of the same message.</summary>
    sealed class ResolvingReader(AvroContractVersion writer, AvroContractVersion reader)
    {
        readonly GenericDatumReader<GenericRecord> _datumReader = new(writer.Schema, reader.Schema);

        public object Read(ReadOnlyMemory<byte> body)
        {
            using var stream = MemoryMarshal.TryGetArray(body, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(body.ToArray(), writable: false);
            var decoder = new BoundedBinaryDecoder(stream);
            GenericRecord record;
            try
            {
                record = _datumReader.Read(reuse: null!, decoder);
            }
            catch (IndexOutOfRangeException)
            {
                // Apache.Avro indexes its branch table with the number read: outside it, the body names a branch the union lacks.
                throw Corrupt("a union branch or enum symbol index the schema does not have");
            }
            catch (Exception ex) when (ex is AvroException or EndOfStreamException or IOException or FormatException or InvalidCastException or OverflowException or ArgumentException)
            {
                throw Corrupt(ex.Message);
            }

            if (decoder.Remaining != 0)
                throw Corrupt($"{decoder.Remaining} bytes left over after the last field");

            return reader.Mapping.FromRecord(record);
        }

        /// <summary>
        /// Apache.Avro's own message is the reason; it is not attached as the inner exception, because MassTransit names the
        /// innermost exception in the error queue's fault headers, and there it must say SerializationException.
        /// </summary>
        SerializationException Corrupt(string reason) => new($"Corrupt Avro body for {writer} read as v{reader.Version}: {reason}.");
    }
}
