using MongoDB.Driver;
using QueryService.Views;

namespace QueryService.Infrastructure.Mongo;

/// <summary>
/// The production view store: one collection per generation of the views (<c>user_profiles</c>, then <c>user_profiles_N</c>)
/// and a pointer document naming the served one (see the generations part). A registration is an insert (a duplicate-key
/// error means the view already exists: not applied); every later change is an update filtered on <c>{_id, version: N - 1}</c>,
/// so a stale or duplicate write matches nothing. No upserts, so two instances never race into a duplicate-key failure.
/// </summary>
public sealed partial class MongoUserViewStore : IUserViewStore
{
    public const string CollectionName = GenerationNames.Original;

    private readonly IMongoDatabase _database;
    private volatile IMongoCollection<UserProfileDocument> _profiles;

    public MongoUserViewStore(IMongoDatabase database)
    {
        _database = database;
        _profiles = Collection(0);
        _pointers = database.GetCollection<GenerationPointerDocument>(PointerCollection);
    }

    /// <summary>Reads the pointer (the served generation) and creates the served collection's indexes; called when the host starts.</summary>
    public async Task CreateIndexesAsync(CancellationToken cancellationToken = default)
    {
        var pointer = await ReadPointerAsync(cancellationToken);
        _profiles = Collection(pointer.Served);
        await _profiles.Indexes.CreateManyAsync(UserProfileQueries.Indexes, cancellationToken);
    }

    /// <summary>A miss on a collection that stopped being served meanwhile (a switch) looks again in the served one.</summary>
    public async Task<UserProfile?> FindAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var profiles = _profiles;
        var document = await profiles.Find(UserProfileQueries.ById(userId)).FirstOrDefaultAsync(cancellationToken);
        if (document is null && !ReferenceEquals(profiles, _profiles))
        {
            document = await _profiles.Find(UserProfileQueries.ById(userId)).FirstOrDefaultAsync(cancellationToken);
        }
        return document?.ToProfile();
    }

    public async Task<bool> TryWriteAsync(UserProfile profile, CancellationToken cancellationToken = default)
    {
        var profiles = _profiles;
        if (profile.Version == 1)
        {
            try
            {
                await profiles.InsertOneAsync(UserProfileDocument.From(profile), cancellationToken: cancellationToken);
                return true;
            }
            catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
            {
                return false;
            }
        }
        var result = await profiles.UpdateOneAsync(
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
        var profiles = _profiles;
        var active = await profiles.CountDocumentsAsync(UserProfileQueries.WithStatus(UserStatus.Active), cancellationToken: cancellationToken);
        var deactivated = await profiles.CountDocumentsAsync(UserProfileQueries.WithStatus(UserStatus.Deactivated), cancellationToken: cancellationToken);
        return new UserCounts(active, deactivated);
    }

    private IMongoCollection<UserProfileDocument> Collection(int generation) =>
        _database.GetCollection<UserProfileDocument>(GenerationNames.Of(generation));
}
