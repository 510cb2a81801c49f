using Accounts.Contracts;
using QueryService.Views;

namespace QueryService.Projection;

/// <summary>
/// Applies one integration message to the user's view, order-safe and idempotent: a version at or below the stored one is
/// a duplicate (nothing happens), a version past the next one is a gap (<see cref="MessageOutOfOrderException"/>, retried),
/// the next version is written conditioned on the stored one; losing that race to another instance means looking again.
/// </summary>
public sealed class UserProfileProjector(IUserViewStore store, UserViewChanges changes, ILogger<UserProfileProjector> logger)
{
    public async Task<ProjectionOutcome> ApplyAsync(IUserMessage message, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var current = await store.FindAsync(message.UserId, cancellationToken);
            var stored = current?.Version ?? 0;
            if (message.Version <= stored)
            {
                logger.LogDebug("Skipped {Message} v{Version} of user {UserId}: the view is at v{Stored}",
                    message.GetType().Name, message.Version, message.UserId, stored);
                return ProjectionOutcome.Duplicate;
            }
            if (message.Version > stored + 1)
            {
                throw new MessageOutOfOrderException(message, stored);
            }
            if (await store.TryWriteAsync(UserProfileEvolution.Evolve(current, message), cancellationToken))
            {
                changes.Changed(message.UserId);
                return ProjectionOutcome.Applied;
            }
        }
    }
}

public enum ProjectionOutcome
{
    Applied,
    Duplicate,
}
