using MongoDB.Driver;
using QueryService.Views;

namespace QueryService.Infrastructure.Mongo;

/// <summary>
/// Every filter, update, sort and index the MongoDB view store sends, in one place so tests can render them to BSON
/// without a server.
/// </summary>
internal static class UserProfileQueries
{
    private static FilterDefinitionBuilder<UserProfileDocument> Filter => Builders<UserProfileDocument>.Filter;

    public static FilterDefinition<UserProfileDocument> ById(Guid userId) => Filter.Eq(d => d.Id, userId.ToString());

    /// <summary>The write condition of every change after the registration: the stored view is at the previous version.</summary>
    public static FilterDefinition<UserProfileDocument> AtVersion(Guid userId, long version) =>
        Filter.Eq(d => d.Id, userId.ToString()) & Filter.Eq(d => d.Version, version);

    /// <summary>Sets everything a change may change; the registration time stays as inserted.</summary>
    public static UpdateDefinition<UserProfileDocument> ChangeTo(UserProfile profile) => Builders<UserProfileDocument>.Update
        .Set(d => d.Email, profile.Email)
        .Set(d => d.EmailKey, profile.EmailKey)
        .Set(d => d.DisplayName, profile.DisplayName)
        .Set(d => d.NameKey, profile.NameKey)
        .Set(d => d.Status, UserStatusText.Of(profile.Status))
        .Set(d => d.Version, profile.Version)
        .Set(d => d.UpdatedAt, profile.UpdatedAt.UtcDateTime);

    public static FilterDefinition<UserProfileDocument> WithStatus(UserStatus status) => Filter.Eq(d => d.Status, UserStatusText.Of(status));

    public static FilterDefinition<UserProfileDocument> Matching(UserSearch search)
    {
        var conditions = new List<FilterDefinition<UserProfileDocument>>();
        if (search.Status is { } status)
        {
            conditions.Add(WithStatus(status));
        }
        else
        {
            conditions.Add(Filter.Ne(d => d.Status, UserStatusText.Erased)); // erased views are tombstones, never listed
        }
        if (search.PrefixKey is { } prefix)
        {
            var upper = SearchKey.UpperBoundOf(prefix);
            conditions.Add(Filter.Or(
                Filter.Gte(d => d.EmailKey, prefix) & Filter.Lt(d => d.EmailKey, upper),
                Filter.Gte(d => d.NameKey, prefix) & Filter.Lt(d => d.NameKey, upper)));
        }
        if (search.After is { } after)
        {
            conditions.Add(Filter.Or(
                Filter.Gt(d => d.NameKey, after.NameKey),
                Filter.Eq(d => d.NameKey, after.NameKey) & Filter.Gt(d => d.Id, after.UserId.ToString())));
        }
        return Filter.And(conditions);
    }

    public static SortDefinition<UserProfileDocument> DirectoryOrder =>
        Builders<UserProfileDocument>.Sort.Ascending(d => d.NameKey).Ascending(d => d.Id);

    public static IReadOnlyList<CreateIndexModel<UserProfileDocument>> Indexes { get; } =
    [
        new(Builders<UserProfileDocument>.IndexKeys.Ascending(d => d.NameKey).Ascending(d => d.Id),
            new CreateIndexOptions { Name = "directory_by_name" }),
        new(Builders<UserProfileDocument>.IndexKeys.Ascending(d => d.Status).Ascending(d => d.NameKey).Ascending(d => d.Id),
            new CreateIndexOptions { Name = "directory_by_status" }),
        new(Builders<UserProfileDocument>.IndexKeys.Ascending(d => d.EmailKey),
            new CreateIndexOptions { Name = "by_email_key" }),
    ];
}
