namespace QueryService.Views;

/// <summary>
/// Where the query service keeps its views. Every write is conditioned on the stored version, so a stale or duplicate write
/// changes nothing and two instances racing on one user leave the view as one instance would. Counts are counted from the
/// profiles themselves, so they cannot drift from them under redelivery.
/// </summary>
public interface IUserViewStore
{
    Task<UserProfile?> FindAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="profile"/> if the stored view is at <c>profile.Version - 1</c> (for version 1: if there is none).
    /// Returns false, and changes nothing, otherwise.
    /// </summary>
    Task<bool> TryWriteAsync(UserProfile profile, CancellationToken cancellationToken = default);

    /// <summary>Up to <see cref="UserSearch.Limit"/> profiles in directory order, strictly after <see cref="UserSearch.After"/>.</summary>
    Task<IReadOnlyList<UserProfile>> SearchAsync(UserSearch search, CancellationToken cancellationToken = default);

    Task<UserCounts> CountAsync(CancellationToken cancellationToken = default);
}
