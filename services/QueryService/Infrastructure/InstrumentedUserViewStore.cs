using System.Diagnostics;
using QueryService.Views;

namespace QueryService.Infrastructure;

/// <summary>
/// Wraps any adapter of the view store port with a client span <c>views write</c> per write (db.* attributes). Reads get
/// no span of their own: the projection span and the HTTP server span already cover them.
/// </summary>
public sealed class InstrumentedUserViewStore(IUserViewStore inner, string system, string collection) : IUserViewStore
{
    public const string WriteSpan = "views write";

    public Task<UserProfile?> FindAsync(Guid userId, CancellationToken cancellationToken = default) => inner.FindAsync(userId, cancellationToken);

    public async Task<bool> TryWriteAsync(UserProfile profile, CancellationToken cancellationToken = default)
    {
        using var activity = QueryTelemetry.Source.StartActivity(WriteSpan, ActivityKind.Client);
        activity?.SetTag("db.system.name", system);
        activity?.SetTag("db.operation.name", profile.Version == 1 ? "insert" : "update");
        activity?.SetTag("db.collection.name", collection);
        try
        {
            var written = await inner.TryWriteAsync(profile, cancellationToken);
            activity?.SetTag("db.response.affected_rows", written ? 1 : 0);
            return written;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.SetTag("error.type", e.GetType().Name);
            throw;
        }
    }

    public Task<IReadOnlyList<UserProfile>> SearchAsync(UserSearch search, CancellationToken cancellationToken = default) =>
        inner.SearchAsync(search, cancellationToken);

    public Task<UserCounts> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);
}
