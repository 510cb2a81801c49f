using Avro.Generic;

namespace Accounts.Contracts.Avro;

public sealed class UserEmailChangedAvroCodec : AvroMessageCodec<UserEmailChanged>
{
    protected override void WritePayload(UserEmailChanged message, AvroBinaryWriter writer)
    {
        writer.WriteString(message.OldEmail);
        writer.WriteString(message.NewEmail);
    }

    protected override UserEmailChanged ReadPayload(Guid userId, long version, DateTimeOffset occurredAt, ref AvroBinaryReader reader) =>
        new(userId, version, occurredAt, reader.ReadString(), reader.ReadString());

    protected override IEnumerable<(string Field, object? Value)> PayloadFields(UserEmailChanged message) =>
        [("oldEmail", message.OldEmail), ("newEmail", message.NewEmail)];

    protected override UserEmailChanged FromRecord(Guid userId, long version, DateTimeOffset occurredAt, GenericRecord record) =>
        new(userId, version, occurredAt, (string)record["oldEmail"], (string)record["newEmail"]);
}
