using EventStore.EventStoreDb.Protocol;
using State = EventStore.EventStoreDb.Protocol.MemberInfo.Types.VNodeState;

namespace EventStore.EventStoreDb;

/// <summary>Pure choices over one gossip answer: which member leads, which serves reads for a preference.</summary>
public static class ClusterMembers
{
    /// <summary>The alive leader, or null while the cluster elects one.</summary>
    public static MemberInfo? Leader(IEnumerable<MemberInfo> members) =>
        members.FirstOrDefault(member => member.IsAlive && member.State == State.Leader);

    /// <summary>
    /// The member that serves reads: one in the preferred role (a random one of several), else the leader, else any alive
    /// follower; null when no member can serve.
    /// </summary>
    public static MemberInfo? ForReads(IEnumerable<MemberInfo> members, NodePreference preference, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var alive = members.Where(member => member.IsAlive && member.HttpEndPoint is not null).ToList();
        var preferred = alive.Where(member => preference switch
        {
            NodePreference.Leader => member.State == State.Leader,
            NodePreference.Follower => member.State == State.Follower,
            NodePreference.ReadOnlyReplica => member.State == State.ReadOnlyReplica,
            _ => member.State is State.Leader or State.Follower or State.ReadOnlyReplica,
        }).ToList();
        return preferred.Count > 0
            ? preferred[random.Next(preferred.Count)]
            : Leader(alive) ?? alive.FirstOrDefault(member => member.State == State.Follower);
    }

    /// <summary>The gRPC address of a member, on the scheme the connection string asked for.</summary>
    public static Uri AddressOf(MemberInfo member, bool useTls) =>
        new UriBuilder(useTls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, member.HttpEndPoint.Address, (int)member.HttpEndPoint.Port).Uri;
}
