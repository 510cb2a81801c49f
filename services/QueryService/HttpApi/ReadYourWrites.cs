using Microsoft.Extensions.Options;
using QueryService.Views;
using ServiceDefaults;

namespace QueryService.HttpApi;

/// <summary>
/// Waits, at most <see cref="QueryOptions.ReadYourWritesTimeout"/>, until a user's view reached a version. Woken by the
/// projection in this process; a slow poll of the store covers views written by other instances.
/// </summary>
public sealed class ReadYourWrites(IUserViewStore store, UserChanges changes, IOptions<QueryOptions> options, TimeProvider time)
{
    /// <summary>The view once it is at <paramref name="minVersion"/> or later (Reached), else the latest one seen (maybe none).</summary>
    public Task<(UserProfile? Profile, bool Reached)> WaitForAsync(Guid userId, long minVersion, CancellationToken cancellationToken) =>
        changes.WaitForAsync(userId, token => store.FindAsync(userId, token), profile => profile is not null && profile.Version >= minVersion,
            options.Value.ReadYourWritesTimeout, options.Value.ReadYourWritesPoll, time, cancellationToken);
}
