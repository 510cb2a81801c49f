namespace EventStore.EventStoreDb;

/// <summary>Which cluster node serves reads (<c>nodePreference</c> in the connection string); writes and subscriptions go to the leader.</summary>
public enum NodePreference
{
    Leader,
    Follower,
    Random,
    ReadOnlyReplica,
}
