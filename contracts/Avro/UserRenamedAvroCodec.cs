using Avro.Generic;

namespace Accounts.Contracts.Avro;

public sealed class UserRenamedAvroCodec : AvroMessageCodec<UserRenamed>
{
    protected override void WritePayload(UserRenamed message, AvroBinaryWriter writer) => writer.WriteString(message.DisplayName);

    protected override UserRenamed ReadPayload(Guid userId, long version, DateTimeOffset occurredAt, ref AvroBinaryReader reader) =>
        new(userId, version, occurredAt, reader.ReadString());

    protected override IEnumerable<(string Field, object? Value)> PayloadFields(UserRenamed message) => [("displayName", message.DisplayName)];

    protected override UserRenamed FromRecord(Guid userId, long version, DateTimeOffset occurredAt, GenericRecord record) =>
        new(userId, version, occurredAt, (string)record["displayName"]);
}
