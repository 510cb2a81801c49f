using EventStore.EventStoreDb.Protocol;
using State = EventStore.EventStoreDb.Protocol.MemberInfo.Types.VNodeState;

namespace EventStore.EventStoreDb.Tests.Cluster;

public sealed class ClusterMembersTests
{
    internal static MemberInfo Member(string host, State state, bool alive = true) =>
        new() { State = state, IsAlive = alive, HttpEndPoint = new EndPoint { Address = host, Port = 2113 } };

    [Fact]
    public void The_leader_is_the_alive_member_in_the_leader_state()
    {
        MemberInfo[] members = [Member("a", State.Leader, alive: false), Member("b", State.Follower), Member("c", State.Leader)];
        Assert.Equal("c", ClusterMembers.Leader(members)?.HttpEndPoint.Address);
        Assert.Null(ClusterMembers.Leader([Member("a", State.Follower), Member("b", State.PreLeader)]));
    }

    [Theory]
    [InlineData(NodePreference.Leader, "l")]
    [InlineData(NodePreference.Follower, "f")]
    [InlineData(NodePreference.ReadOnlyReplica, "r")]
    public void Reads_go_to_a_member_of_the_preferred_role(NodePreference preference, string host)
    {
        MemberInfo[] members = [Member("l", State.Leader), Member("f", State.Follower), Member("r", State.ReadOnlyReplica), Member("x", State.CatchingUp)];
        Assert.Equal(host, ClusterMembers.ForReads(members, preference, new Random(1))?.HttpEndPoint.Address);
    }

    [Fact]
    public void Without_a_member_of_the_preferred_role_reads_go_to_the_leader_and_a_dead_member_is_never_chosen()
    {
        MemberInfo[] members = [Member("f", State.Follower, alive: false), Member("l", State.Leader)];
        Assert.Equal("l", ClusterMembers.ForReads(members, NodePreference.Follower, new Random(1))?.HttpEndPoint.Address);
        Assert.Null(ClusterMembers.ForReads([Member("f", State.Follower, alive: false)], NodePreference.Random, new Random(1)));
    }

    [Fact]
    public void A_members_address_takes_the_connections_scheme() =>
        Assert.Equal(new Uri("https://node-2:2113"), ClusterMembers.AddressOf(Member("node-2", State.Follower), useTls: true));
}
