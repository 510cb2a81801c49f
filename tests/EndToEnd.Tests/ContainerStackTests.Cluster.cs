namespace EndToEnd.Tests;

/// <summary>The compose <c>cluster</c> profile: the topology past one machine, as compose renders it.</summary>
public sealed partial class ContainerStackTests
{
    private static Dictionary<string, Dictionary<object, object>> ClusterProfile =>
        Services.Where(s => Map(s.Value).TryGetValue("profiles", out var profiles) && Strings(profiles).Contains("cluster"))
            .ToDictionary(s => (string)s.Key, s => Map(s.Value));

    [Fact]
    public void The_cluster_profile_runs_three_nodes_of_each_engine_and_two_instances_of_each_service()
    {
        var names = ClusterProfile.Keys.ToList();
        foreach (var (prefix, count) in new[] { ("rabbitmq-", 3), ("eventstore-", 3), ("mongodb-", 3), ("command-", 2), ("query-", 2), ("notification-", 2) })
            Assert.Equal(count, names.Count(name => name.StartsWith(prefix, StringComparison.Ordinal) && name[prefix.Length..].All(char.IsDigit)));
        Assert.DoesNotContain("profiles", Map(Services["command"]).Keys.Cast<string>()); // `make up` stays the one-node stack
    }

    [Fact]
    public void Every_clustered_service_names_all_nodes_and_asks_for_quorum_queues()
    {
        foreach (var (name, service) in ClusterProfile.Where(s => s.Value.ContainsKey("build")))
        {
            var environment = Map(service["environment"]);
            Assert.Equal("amqp://guest:guest@rabbitmq-1:5672,rabbitmq-2:5672,rabbitmq-3:5672/", environment["ConnectionStrings__rabbitmq"]);
            Assert.Equal("quorum", environment["Messaging__QueueType"]);
            if (environment.TryGetValue("ConnectionStrings__eventstore", out var eventStore))
                Assert.Equal("esdb://eventstore-1:2113,eventstore-2:2113,eventstore-3:2113?tls=false", eventStore);
            if (environment.TryGetValue("ConnectionStrings__mongodb", out var mongo))
                Assert.Matches("^mongodb://mongodb-1:27017,mongodb-2:27017,mongodb-3:27017/accounts-[a-z]+\\?replicaSet=rs0$", (string)mongo);
            Assert.True(environment.ContainsKey("ConnectionStrings__eventstore") || environment.ContainsKey("ConnectionStrings__mongodb"), name);
        }
    }

    [Fact]
    public void The_engine_nodes_know_each_other()
    {
        foreach (var node in new[] { "eventstore-1", "eventstore-2", "eventstore-3" })
        {
            var environment = Map(ClusterProfile[node]["environment"]);
            Assert.Equal("3", environment["EVENTSTORE_CLUSTER_SIZE"]);
            Assert.Equal(2, ((string)environment["EVENTSTORE_GOSSIP_SEED"]).Split(',').Length);
        }
        foreach (var node in new[] { "rabbitmq-1", "rabbitmq-2", "rabbitmq-3" })
            Assert.Equal(node, ClusterProfile[node]["hostname"]);
        var formation = File.ReadAllText(Path.Combine(Root, "infra/rabbitmq-cluster.conf"));
        foreach (var node in new[] { "rabbit@rabbitmq-1", "rabbit@rabbitmq-2", "rabbit@rabbitmq-3" })
            Assert.Contains(node, formation, StringComparison.Ordinal);
        Assert.Contains("rs.initiate", string.Join(' ', Strings(ClusterProfile["mongodb-init"]["command"])), StringComparison.Ordinal);
    }
}
