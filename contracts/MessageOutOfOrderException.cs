namespace Accounts.Contracts;

/// <summary>
/// A message arrived before one it builds on (a gap in the user's versions). Retryable: redelivered later, the missing
/// message has usually arrived by then; after the configured attempts the message goes to the error queue with this text.
/// </summary>
public sealed class MessageOutOfOrderException(IUserMessage message, long storedVersion)
    : Exception($"{message.GetType().Name} v{message.Version} of user {message.UserId} arrived before v{storedVersion + 1}: v{storedVersion} is the last one applied.")
{
    public Guid UserId { get; } = message.UserId;

    public long MessageVersion { get; } = message.Version;

    public long StoredVersion { get; } = storedVersion;
}
