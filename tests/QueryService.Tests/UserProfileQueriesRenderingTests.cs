using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using QueryService.Infrastructure.Mongo;
using QueryService.Views;

namespace QueryService.Tests;

/// <summary>
/// What the MongoDB view store sends, rendered to BSON without a server: the version-conditioned write filter, the update,
/// the directory filter (status, prefix range on both keys, keyset position), its sort, the count filter and the indexes.
/// </summary>
public sealed class UserProfileQueriesRenderingTests
{
    private static readonly Guid UserId = Guid.Parse("0b5e2c8e-6a7d-4f0e-9d7c-3c2b1a0f9e8d");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);
    private const string Highest = "\U0010FFFF";

    private static readonly IBsonSerializerRegistry Registry = BsonSerializer.SerializerRegistry;
    private static readonly RenderArgs<UserProfileDocument> Args = new(Registry.GetSerializer<UserProfileDocument>(), Registry);

    [Fact]
    public void Find_by_id_filters_on_the_id_text()
    {
        Assert.Equal(new BsonDocument("_id", UserId.ToString()), UserProfileQueries.ById(UserId).Render(Args));
    }

    [Fact]
    public void A_change_is_conditioned_on_the_previous_version()
    {
        Assert.Equal(
            new BsonDocument { { "_id", UserId.ToString() }, { "version", 4L } },
            UserProfileQueries.AtVersion(UserId, 4).Render(Args));
    }

    [Fact]
    public void A_change_sets_every_changeable_field_but_not_the_registration_time()
    {
        var profile = new UserProfile(UserId, "Ada@Example.com", "Ada L", UserStatus.Deactivated, 5, At.AddDays(-1), At);
        var expected = new BsonDocument("$set", new BsonDocument
        {
            { "email", "Ada@Example.com" },
            { "emailKey", "ada@example.com" },
            { "displayName", "Ada L" },
            { "nameKey", "ada l" },
            { "status", "deactivated" },
            { "version", 5L },
            { "updatedAt", new BsonDateTime(At.UtcDateTime) },
        });
        Assert.Equal(expected, UserProfileQueries.ChangeTo(profile).Render(Args));
    }

    [Fact]
    public void A_search_without_criteria_matches_every_profile_but_the_erased()
    {
        Assert.Equal(new BsonDocument("status", new BsonDocument("$ne", "erased")),
            UserProfileQueries.Matching(new UserSearch(null, null, 10)).Render(Args));
    }

    [Fact]
    public void A_full_search_combines_status_prefix_ranges_and_the_keyset_position()
    {
        var search = new UserSearch("Ada", UserStatus.Active, 10, new DirectoryPosition("ada lovelace", UserId));
        var expected = new BsonDocument("$and", new BsonArray
        {
            new BsonDocument("status", "active"),
            new BsonDocument("$or", new BsonArray
            {
                new BsonDocument("emailKey", new BsonDocument { { "$gte", "ada" }, { "$lt", "ada" + Highest } }),
                new BsonDocument("nameKey", new BsonDocument { { "$gte", "ada" }, { "$lt", "ada" + Highest } }),
            }),
            new BsonDocument("$or", new BsonArray
            {
                new BsonDocument("nameKey", new BsonDocument("$gt", "ada lovelace")),
                new BsonDocument { { "nameKey", "ada lovelace" }, { "_id", new BsonDocument("$gt", UserId.ToString()) } },
            }),
        });
        Assert.Equal(expected, UserProfileQueries.Matching(search).Render(Args));
    }

    [Fact]
    public void The_directory_is_sorted_by_name_key_then_id()
    {
        Assert.Equal(new BsonDocument { { "nameKey", 1 }, { "_id", 1 } }, UserProfileQueries.DirectoryOrder.Render(Args));
    }

    [Fact]
    public void Counting_filters_on_the_status_text()
    {
        Assert.Equal(new BsonDocument("status", "deactivated"), UserProfileQueries.WithStatus(UserStatus.Deactivated).Render(Args));
    }

    [Fact]
    public void The_indexes_serve_the_directory_with_and_without_status_and_the_email_prefix()
    {
        var rendered = UserProfileQueries.Indexes.Select(i => (i.Options.Name, i.Keys.Render(Args))).ToList();
        Assert.Equal(
            [
                ("directory_by_name", new BsonDocument { { "nameKey", 1 }, { "_id", 1 } }),
                ("directory_by_status", new BsonDocument { { "status", 1 }, { "nameKey", 1 }, { "_id", 1 } }),
                ("by_email_key", new BsonDocument("emailKey", 1)),
            ],
            rendered);
    }

    [Fact]
    public void A_document_round_trips_through_bson()
    {
        var profile = new UserProfile(UserId, "ada@example.com", "Ada", UserStatus.Active, 1, At, At);
        var bson = UserProfileDocument.From(profile).ToBsonDocument();
        Assert.Equal(
            new BsonDocument
            {
                { "_id", UserId.ToString() }, { "email", "ada@example.com" }, { "emailKey", "ada@example.com" },
                { "displayName", "Ada" }, { "nameKey", "ada" }, { "status", "active" }, { "version", 1L },
                { "registeredAt", new BsonDateTime(At.UtcDateTime) }, { "updatedAt", new BsonDateTime(At.UtcDateTime) },
            },
            bson);
        Assert.Equal(profile, BsonSerializer.Deserialize<UserProfileDocument>(bson).ToProfile());
    }
}
