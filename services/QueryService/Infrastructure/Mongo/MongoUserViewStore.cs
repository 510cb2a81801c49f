using MongoDB.Driver;
using QueryService.Views;

namespace QueryService.Infrastructure.Mongo;

/// <summary>
/// The production view store: collection <c>user_profiles</c>. A registration is an insert (a duplicate-key error means
/// the view already exists: not applied); every later change is an update filtered on <c>{_id, version: N - 1}</c>, so a
/// stale or duplicate write matches nothing. No upserts, so two instances never race into a duplicate-key failure.
/// </summary>
public sealed class MongoUserViewStore : IUserViewStore
{
    public const string CollectionName = "user_profiles";

    private readonly IMongoCollection<UserProfileDocument> _profiles;

    public MongoUserViewStore(IMongoDatabase database) => _profiles = database.GetCollection<UserProfileDocument>(CollectionName);

    public Task CreateIndexesAsync(CancellationToken cancellationToken = default) =>
        _profiles.Indexes.CreateManyAsync(UserProfileQueries.Indexes, cancellationToken);

    public async Task<UserProfile?> FindAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var document = await _profiles.Find(UserProfileQueries.ById(userId)).FirstOrDefaultAsync(cancellationToken);
        return document?.ToProfile();
    }

    public async Task<bool> TryWriteAsync(UserProfile profile, CancellationToken cancellationToken = default)
    {
        if (profile.Version == 1)
        {
            try
            {
                await _profiles.InsertOneAsync(UserProfileDocument.From(profile), cancellationToken: cancellationToken);
                return true;
            }
            catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
            {
                return false;
            }
        }
        var result = await _profiles.UpdateOneAsync(
            UserProfileQueries.AtVersion(profile.UserId, profile.Version - 1), UserProfileQueries.ChangeTo(profile),
            cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }

    public async Task<IReadOnlyList<UserProfile>> SearchAsync(UserSearch search, CancellationToken cancellationToken = default)
    {
        var documents = await _profiles.Find(UserProfileQueries.Matching(search))
            .Sort(UserProfileQueries.DirectoryOrder).Limit(search.Limit).ToListAsync(cancellationToken);
        return documents.ConvertAll(d => d.ToProfile());
    }

    public async Task<UserCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        var active = await _profiles.CountDocumentsAsync(UserProfileQueries.WithStatus(UserStatus.Active), cancellationToken: cancellationToken);
        var deactivated = await _profiles.CountDocumentsAsync(UserProfileQueries.WithStatus(UserStatus.Deactivated), cancellationToken: cancellationToken);
        return new UserCounts(active, deactivated);
    }
}
