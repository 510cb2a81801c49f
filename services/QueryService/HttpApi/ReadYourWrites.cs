using Microsoft.Extensions.Options;
using QueryService.Projection;
using QueryService.Views;

namespace QueryService.HttpApi;

/// <summary>
/// Waits, at most <see cref="QueryOptions.ReadYourWritesTimeout"/>, until a user's view reached a version. Woken by the
/// projection in this process; a slow poll of the store covers views written by other instances.
/// </summary>
public sealed class ReadYourWrites(IUserViewStore store, UserViewChanges changes, IOptions<QueryOptions> options, TimeProvider time)
{
    /// <summary>The view once it is at <paramref name="minVersion"/> or later (Reached), else the latest one seen (maybe none).</summary>
    public async Task<(UserProfile? Profile, bool Reached)> WaitForAsync(Guid userId, long minVersion, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.Value.ReadYourWritesTimeout;
        while (true)
        {
            using var watcher = changes.Watch(userId);
            var profile = await store.FindAsync(userId, cancellationToken);
            if (profile is not null && profile.Version >= minVersion)
            {
                return (profile, true);
            }
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return (profile, false);
            }
            var poll = remaining < options.Value.ReadYourWritesPoll ? remaining : options.Value.ReadYourWritesPoll;
            await Task.WhenAny(watcher.Changed, Task.Delay(poll, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
