namespace Accounts.Contracts;

/// <summary>
/// Every integration message is about one user account at one stream version. Consumers de-duplicate and order by
/// (<see cref="UserId"/>, <see cref="Version"/>); the transport message id is the id of the domain event.
/// </summary>
public interface IUserMessage
{
    Guid UserId { get; }

    /// <summary>The account's stream version after the change (1 for the registration).</summary>
    long Version { get; }

    DateTimeOffset OccurredAt { get; }
}

/// <summary>v2 added <see cref="PreferredLanguage"/> (optional, default null).</summary>
public sealed record UserRegistered(Guid UserId, long Version, DateTimeOffset OccurredAt, string Email, string DisplayName, string? PreferredLanguage = null)
    : IUserMessage;

public sealed record UserEmailChanged(Guid UserId, long Version, DateTimeOffset OccurredAt, string OldEmail, string NewEmail) : IUserMessage;

public sealed record UserRenamed(Guid UserId, long Version, DateTimeOffset OccurredAt, string DisplayName) : IUserMessage;

public sealed record UserDeactivated(Guid UserId, long Version, DateTimeOffset OccurredAt, string Reason) : IUserMessage;

public sealed record UserReactivated(Guid UserId, long Version, DateTimeOffset OccurredAt) : IUserMessage;

/// <summary>The account was erased: every service deletes the personal data it holds about it. Carries none itself.</summary>
public sealed record UserErased(Guid UserId, long Version, DateTimeOffset OccurredAt) : IUserMessage;

/// <summary>
/// Several user messages in the event log's order, published as one broker message: one publish, routing, delivery and
/// acknowledgement for all of them. The relay has one batch in flight at a time, so a queue delivers every account's
/// messages in log order across batches. Each message keeps its own bytes (<see cref="BatchedUserMessage.Body"/>), so
/// its schema evolves as it does alone, and they are the bytes the integration feed serves for it.
/// </summary>
public sealed record UserMessageBatch(BatchedUserMessage[] Messages)
{
    public bool Equals(UserMessageBatch? other) => other is not null && Messages.AsSpan().SequenceEqual(other.Messages);

    public override int GetHashCode() => Messages.Length;
}

/// <summary>One message of a <see cref="UserMessageBatch"/> with what a broker message carries in its headers.</summary>
/// <param name="Body">The user message in the Avro single-object encoding.</param>
public sealed record BatchedUserMessage(Guid MessageId, Guid? CorrelationId, Guid? CausationId, string? TraceParent, string? TraceState, byte[] Body)
{
    public bool Equals(BatchedUserMessage? other) =>
        other is not null && (MessageId, CorrelationId, CausationId, TraceParent, TraceState) == (other.MessageId, other.CorrelationId, other.CausationId, other.TraceParent, other.TraceState)
        && Body.AsSpan().SequenceEqual(other.Body);

    public override int GetHashCode() => MessageId.GetHashCode();
}
