namespace Accounts.Contracts;

/// <summary>What <see cref="VersionGate"/> did with a message.</summary>
public enum VersionGateOutcome
{
    /// <summary>The message was the next version and its change is written.</summary>
    Applied,

    /// <summary>The stored state is at the message's version or later: nothing was written.</summary>
    Duplicate,
}

/// <summary>
/// The one rule by which a consumer applies a user's messages to what it stores about that user, order-safe and
/// idempotent: read the stored version; a version at or below it is a duplicate; one past the next is a gap
/// (<see cref="MessageOutOfOrderException"/>, retried); the next one is written conditioned on the version read, and a
/// write that lost the race to another instance means looking again.
/// </summary>
public static class VersionGate
{
    /// <typeparam name="TState">What the consumer stores per user (it carries the last applied version).</typeparam>
    /// <param name="message">The message to apply.</param>
    /// <param name="read">Reads the user's stored state (null: none yet).</param>
    /// <param name="versionOf">The version a stored state is at.</param>
    /// <param name="tryWrite">Writes the change the message makes to the state read, only if the stored version is still the one read; false when it lost that race.</param>
    /// <param name="cancellationToken">Cancels the reads and writes.</param>
    /// <returns>The outcome and the stored version it was decided on.</returns>
    public static async Task<(VersionGateOutcome Outcome, long StoredVersion)> ApplyAsync<TState>(
        IUserMessage message,
        Func<Guid, CancellationToken, Task<TState?>> read,
        Func<TState, long> versionOf,
        Func<TState?, CancellationToken, Task<bool>> tryWrite,
        CancellationToken cancellationToken)
        where TState : class
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(versionOf);
        ArgumentNullException.ThrowIfNull(tryWrite);
        while (true)
        {
            var current = await read(message.UserId, cancellationToken);
            var stored = current is null ? 0 : versionOf(current);
            if (message.Version <= stored)
            {
                return (VersionGateOutcome.Duplicate, stored);
            }
            if (message.Version > stored + 1)
            {
                throw new MessageOutOfOrderException(message, stored);
            }
            if (await tryWrite(current, cancellationToken))
            {
                return (VersionGateOutcome.Applied, stored);
            }
        }
    }
}
