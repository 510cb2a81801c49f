using Avro;
using Avro.Generic;

namespace Accounts.Contracts.Avro;

/// <summary>
/// Base of the hand-written codecs: the three fields every <see cref="IUserMessage"/> starts with
/// (userId, version, occurredAt) and the casts from <see cref="object"/>.
/// </summary>
public abstract class AvroMessageCodec<T> : IAvroMessageCodec
    where T : class, IUserMessage
{
    public Type MessageType => typeof(T);

    public void WriteLatest(object message, AvroBinaryWriter writer)
    {
        var typed = (T)message;
        writer.WriteUuid(typed.UserId);
        writer.WriteLong(typed.Version);
        writer.WriteTimestampMicros(typed.OccurredAt);
        WritePayload(typed, writer);
    }

    public object ReadLatest(ref AvroBinaryReader reader)
    {
        var userId = reader.ReadUuid();
        var version = reader.ReadLong();
        var occurredAt = reader.ReadTimestampMicros();
        return ReadPayload(userId, version, occurredAt, ref reader);
    }

    public GenericRecord ToRecord(object message, RecordSchema schema)
    {
        var typed = (T)message;
        var record = new GenericRecord(schema);
        record.Add("userId", typed.UserId);
        record.Add("version", typed.Version);
        record.Add("occurredAt", typed.OccurredAt.UtcDateTime);
        foreach (var (field, value) in PayloadFields(typed))
        {
            if (schema.Contains(field))
                record.Add(field, value);
        }

        return record;
    }

    public object FromRecord(GenericRecord record) => FromRecord(
        record["userId"] is Guid id ? id : Guid.Parse((string)record["userId"], null),
        (long)record["version"],
        AvroTime.FromGeneric(record["occurredAt"]),
        record);

    protected abstract void WritePayload(T message, AvroBinaryWriter writer);

    protected abstract T ReadPayload(Guid userId, long version, DateTimeOffset occurredAt, ref AvroBinaryReader reader);

    /// <summary>The payload fields by Avro field name, in any version's naming.</summary>
    protected abstract IEnumerable<(string Field, object? Value)> PayloadFields(T message);

    protected abstract T FromRecord(Guid userId, long version, DateTimeOffset occurredAt, GenericRecord record);

    /// <summary>A string field the reader schema may not have (an older reader version); null when absent.</summary>
    protected static string? OptionalString(GenericRecord record, string field) =>
        record.TryGetValue(field, out var value) ? (string?)value : null;
}
