using Accounts.Testing.MongoDb;
using MongoDB.Bson;
using MongoDB.Driver;
using QueryService.Infrastructure.Mongo;
using QueryService.Views;

namespace QueryService.Tests;

/// <summary>The conformance suite against a real MongoDB; SKIPPED with the reason where none can be had (see MongoDbServer).</summary>
[RequiresMongoDb]
public sealed class MongoUserViewStoreTests : ViewStoreConformance
{
    private IMongoDatabase? _database;

    protected override async Task<IUserViewStore> CreateStoreAsync()
    {
        _database = await MongoDbServer.NewDatabaseAsync("query-conformance");
        var store = new MongoUserViewStore(_database);
        await store.CreateIndexesAsync();
        return store;
    }

    protected override async Task DeleteStoreAsync()
    {
        if (_database is not null)
        {
            await _database.Client.DropDatabaseAsync(_database.DatabaseNamespace.DatabaseName);
        }
    }

    [Fact]
    public async Task The_indexes_exist_after_start()
    {
        var indexes = await (await _database!.GetCollection<BsonDocument>(MongoUserViewStore.CollectionName).Indexes.ListAsync()).ToListAsync();
        Assert.Equal(
            ["_id_", "by_email_key", "directory_by_name", "directory_by_status"],
            indexes.Select(i => i["name"].AsString).Order(StringComparer.Ordinal));
    }
}
