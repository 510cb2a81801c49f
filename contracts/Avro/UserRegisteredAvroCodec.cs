using Avro.Generic;

namespace Accounts.Contracts.Avro;

public sealed class UserRegisteredAvroCodec : AvroMessageCodec<UserRegistered>
{
    protected override void WritePayload(UserRegistered message, AvroBinaryWriter writer)
    {
        writer.WriteString(message.Email);
        writer.WriteString(message.DisplayName);
        writer.WriteOptionalString(message.PreferredLanguage);
    }

    protected override UserRegistered ReadPayload(Guid userId, long version, DateTimeOffset occurredAt, ref AvroBinaryReader reader) =>
        new(userId, version, occurredAt, reader.ReadString(), reader.ReadString(), reader.ReadOptionalString());

    protected override IEnumerable<(string Field, object? Value)> PayloadFields(UserRegistered message) =>
        [("email", message.Email), ("displayName", message.DisplayName), ("preferredLanguage", message.PreferredLanguage)];

    protected override UserRegistered FromRecord(Guid userId, long version, DateTimeOffset occurredAt, GenericRecord record) =>
        new(userId, version, occurredAt, (string)record["email"], (string)record["displayName"], OptionalString(record, "preferredLanguage"));
}
