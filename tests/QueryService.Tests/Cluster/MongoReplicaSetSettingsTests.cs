using MongoDB.Driver;
using ServiceDefaults.Mongo;

namespace QueryService.Tests.Cluster;

/// <summary>The MongoDB client settings the services use, rendered without a server.</summary>
public sealed class MongoReplicaSetSettingsTests
{
    [Fact]
    public void A_replica_set_gets_majority_journaled_writes_retries_and_primary_reads_with_majority_read_concern()
    {
        var settings = MongoClients.SettingsFor(MongoUrl.Create("mongodb://m1:27017,m2:27017,m3:27017/accounts-query?replicaSet=rs0"));

        Assert.Equal("rs0", settings.ReplicaSetName);
        Assert.Equal(3, settings.Servers.Count());
        Assert.Equal(WriteConcern.WMajority.With(journal: true), settings.WriteConcern);
        Assert.True(settings.RetryWrites);
        Assert.True(settings.RetryReads);
        Assert.Equal(ReadPreference.Primary, settings.ReadPreference);
        Assert.Equal(ReadConcern.Majority, settings.ReadConcern);
    }

    [Fact]
    public void What_the_connection_string_sets_wins()
    {
        var settings = MongoClients.SettingsFor(MongoUrl.Create("mongodb://m1,m2/db?replicaSet=rs0&w=2&retryWrites=false&readPreference=secondaryPreferred&readConcernLevel=local"));

        Assert.Equal(new WriteConcern(2), settings.WriteConcern);
        Assert.False(settings.RetryWrites);
        Assert.Equal(ReadPreference.SecondaryPreferred, settings.ReadPreference);
        Assert.Equal(ReadConcern.Local, settings.ReadConcern);
    }
}
