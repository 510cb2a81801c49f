using Accounts.Testing.MongoDb;
using MongoDB.Driver;
using NotificationService.Infrastructure.Mongo;
using NotificationService.Notifications;

namespace NotificationService.Tests;

/// <summary>The conformance suite against a real MongoDB; SKIPPED with the reason where none can be had (see MongoDbServer).</summary>
[RequiresMongoDb]
public sealed class MongoNotificationStoreTests : NotificationStoreConformance
{
    private IMongoDatabase? _database;

    protected override async Task<(INotificationStore, IContactStore)> CreateStoreAsync()
    {
        _database = await MongoDbServer.NewDatabaseAsync("notification-conformance");
        var store = new MongoNotificationStore(_database);
        await store.CreateIndexesAsync();
        return (store, store);
    }

    protected override async Task DeleteStoreAsync()
    {
        if (_database is not null)
        {
            await _database.Client.DropDatabaseAsync(_database.DatabaseNamespace.DatabaseName);
        }
    }
}
