using Avro.Generic;

namespace Accounts.Contracts.Avro;

public sealed class UserReactivatedAvroCodec : AvroMessageCodec<UserReactivated>
{
    protected override void WritePayload(UserReactivated message, AvroBinaryWriter writer)
    {
    }

    protected override UserReactivated ReadPayload(Guid userId, long version, DateTimeOffset occurredAt, ref AvroBinaryReader reader) =>
        new(userId, version, occurredAt);

    protected override IEnumerable<(string Field, object? Value)> PayloadFields(UserReactivated message) => [];

    protected override UserReactivated FromRecord(Guid userId, long version, DateTimeOffset occurredAt, GenericRecord record) =>
        new(userId, version, occurredAt);
}
