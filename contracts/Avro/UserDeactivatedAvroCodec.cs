using Avro.Generic;

namespace Accounts.Contracts.Avro;

public sealed class UserDeactivatedAvroCodec : AvroMessageCodec<UserDeactivated>
{
    protected override void WritePayload(UserDeactivated message, AvroBinaryWriter writer) => writer.WriteString(message.Reason);

    protected override UserDeactivated ReadPayload(Guid userId, long version, DateTimeOffset occurredAt, ref AvroBinaryReader reader) =>
        new(userId, version, occurredAt, reader.ReadString());

    protected override IEnumerable<(string Field, object? Value)> PayloadFields(UserDeactivated message) => [("reason", message.Reason)];

    protected override UserDeactivated FromRecord(Guid userId, long version, DateTimeOffset occurredAt, GenericRecord record) =>
        new(userId, version, occurredAt, (string)record["reason"]);
}
