using MongoDB.Driver;

namespace ServiceDefaults.Mongo;

/// <summary>
/// How the services talk to MongoDB, on one server or a replica set
/// (<c>mongodb://m1:27017,m2:27017,m3:27017/db?replicaSet=rs0</c>): a write is acknowledged once a majority of the members
/// journaled it (it survives the primary's loss), writes and reads are retried once across a primary change (retryable
/// writes: the server knows a retried write by its session's transaction number and applies it once), and reads go to the primary with majority
/// read concern, so a service reads what it wrote (read-your-writes) and never a write a failover rolls back. The
/// connection string's own options win where it sets them.
/// </summary>
public static class MongoClients
{
    public static MongoClientSettings SettingsFor(MongoUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var settings = MongoClientSettings.FromUrl(url);
        settings.WriteConcern = url.W is null && url.Journal is null ? WriteConcern.WMajority.With(journal: true) : settings.WriteConcern;
        settings.RetryWrites = url.RetryWrites ?? true;
        settings.RetryReads = url.RetryReads ?? true;
        settings.ReadPreference = url.ReadPreference ?? ReadPreference.Primary;
        settings.ReadConcern = url.ReadConcernLevel is null ? ReadConcern.Majority : settings.ReadConcern;
        return settings;
    }

    /// <summary>The database named in the connection string, else <paramref name="defaultDatabase"/>, on a client with <see cref="SettingsFor"/>.</summary>
    public static IMongoDatabase Database(string connectionString, string defaultDatabase)
    {
        var url = MongoUrl.Create(connectionString);
        return new MongoClient(SettingsFor(url)).GetDatabase(url.DatabaseName ?? defaultDatabase);
    }
}
