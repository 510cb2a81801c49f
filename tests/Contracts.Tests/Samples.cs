namespace Accounts.Contracts.Tests;

/// <summary>One message of each contract, with times whole to the microsecond (timestamp-micros drops finer ticks).</summary>
public static class Samples
{
    public static readonly DateTimeOffset OccurredAt = new(2026, 11, 24, 10, 30, 15, 123, 456, TimeSpan.Zero);

    public static UserRegistered Registered(string? preferredLanguage = "en-GB") =>
        new(Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"), 1, OccurredAt, "ada@example.org", "Ada Lovelace", preferredLanguage);

    public static object Of(Type messageType)
    {
        var id = Guid.Parse("3c0e1bc5-4d2b-4b9a-9a51-1f0f4a7f8e21");
        return messageType.Name switch
        {
            nameof(UserRegistered) => Registered(),
            nameof(UserEmailChanged) => new UserEmailChanged(id, 2, OccurredAt, "old@example.org", "new@example.org"),
            nameof(UserRenamed) => new UserRenamed(id, 3, OccurredAt, "Grace Hopper"),
            nameof(UserDeactivated) => new UserDeactivated(id, 4, OccurredAt, "asked to"),
            nameof(UserReactivated) => new UserReactivated(id, 5, OccurredAt),
            nameof(UserErased) => new UserErased(id, 6, OccurredAt),
            nameof(UserMessageBatch) => new UserMessageBatch([
                new(Guid.Parse("0196b7a6-1c2d-7e3f-8a4b-5c6d7e8f9a0b"), id, null, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null, Encoded(Registered())),
                new(Guid.Parse("0196b7a6-1c2d-7e3f-8a4b-5c6d7e8f9a0c"), null, id, null, "vendor=value", Encoded(new UserErased(id, 6, OccurredAt))),
            ]),
            _ => throw new ArgumentOutOfRangeException(nameof(messageType), messageType.Name, "no sample"),
        };
    }

    static byte[] Encoded(object message) => Avro.AvroSingleObjectCodec.Latest.Encode(message);
}
