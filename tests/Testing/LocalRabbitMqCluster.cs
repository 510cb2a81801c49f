using System.Globalization;
using System.Text.Json;

namespace Accounts.Testing;

/// <summary>The Erlang port mapper daemon and cookie a cluster's nodes share: they find each other by name and trust each other.</summary>
internal sealed record ClusterMembership(int EpmdPort, string Cookie);

/// <summary>
/// Three private nodes of the locally installed <c>rabbitmq-server</c> on loopback, joined into one cluster with
/// <c>rabbitmqctl join_cluster</c>: each with its own ports and temp folder, all with one epmd and one Erlang cookie. Started
/// once per test process (<see cref="Shared"/>), stopped by process id when it exits. A node can be killed (SIGKILL) and
/// restarted, which is what the tests of quorum queues do.
/// </summary>
public sealed class LocalRabbitMqCluster
{
    static readonly SemaphoreSlim StartLock = new(1, 1);
    static LocalRabbitMqCluster? s_shared;

    readonly System.Diagnostics.Process _epmd;

    LocalRabbitMqCluster(System.Diagnostics.Process epmd, IReadOnlyList<LocalRabbitMqNode> nodes)
    {
        _epmd = epmd;
        Nodes = nodes;
    }

    public IReadOnlyList<LocalRabbitMqNode> Nodes { get; }

    /// <summary>The form of <c>ConnectionStrings__rabbitmq</c> for a cluster: every node's address, comma-separated.</summary>
    public string ConnectionString => $"amqp://guest:guest@{string.Join(',', Nodes.Select(node => $"127.0.0.1:{node.AmqpPort}"))}/";

    public static async Task<LocalRabbitMqCluster> Shared()
    {
        if (!LocalRabbitMqNode.IsInstalled())
            throw new InvalidOperationException("The cluster tests start three private RabbitMQ nodes: `apt-get install rabbitmq-server`.");
        await StartLock.WaitAsync();
        try
        {
            return s_shared ??= await StartAsync(3);
        }
        finally
        {
            StartLock.Release();
        }
    }

    static async Task<LocalRabbitMqCluster> StartAsync(int size)
    {
        var membership = new ClusterMembership(LocalRabbitMqNode.FreePort(), Guid.NewGuid().ToString("N"));
        var folder = Directory.CreateTempSubdirectory("rabbitmq-cluster-epmd-").FullName;
        var port = membership.EpmdPort.ToString(CultureInfo.InvariantCulture);
        var epmd = LocalRabbitMqNode.StartInOwnSession(LocalRabbitMqNode.Epmd, ["-port", port, "-address", "127.0.0.1"], new() { ["ERL_EPMD_PORT"] = port }, folder);
        ProcessWatchdog.StopWhenEnded(Environment.ProcessId, $"-{epmd.Id}");

        var nodes = await Task.WhenAll(Enumerable.Range(0, size).Select(_ => LocalRabbitMqNode.StartAsync(membership)));
        var cluster = new LocalRabbitMqCluster(epmd, nodes);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        foreach (var joining in nodes.Skip(1))
        {
            await joining.ControlAsync("stop_app");
            await joining.ControlAsync("join_cluster", nodes[0].NodeName);
            await joining.ControlAsync("start_app");
        }
        return cluster;
    }

    /// <summary>The node a quorum queue's leader runs on now, as the cluster reports it (asked through a node that is up).</summary>
    public async Task<LocalRabbitMqNode?> LeaderOfAsync(string queue, LocalRabbitMqNode askVia)
    {
        var listing = await askVia.ControlAsync("list_queues", "-q", "--formatter", "json", "name", "leader");
        using var json = JsonDocument.Parse(listing);
        var leader = json.RootElement.EnumerateArray()
            .Where(row => row.GetProperty("name").GetString() == queue)
            .Select(row => row.GetProperty("leader").GetString())
            .FirstOrDefault();
        return Nodes.FirstOrDefault(node => node.NodeName == leader);
    }

    /// <summary>The type a queue was declared with ("quorum", "classic").</summary>
    public async Task<string?> TypeOfAsync(string queue)
    {
        var listing = await Nodes[0].ControlAsync("list_queues", "-q", "--formatter", "json", "name", "type");
        using var json = JsonDocument.Parse(listing);
        return json.RootElement.EnumerateArray()
            .Where(row => row.GetProperty("name").GetString() == queue)
            .Select(row => row.GetProperty("type").GetString())
            .FirstOrDefault();
    }

    /// <summary>Kills every node's process group and the shared epmd first, then waits and cleans up: a process-exit handler has little time.</summary>
    void Stop()
    {
        LocalRabbitMqNode.KillProcessGroup(_epmd.Id);
        foreach (var node in Nodes)
            node.Kill();
        foreach (var node in Nodes)
            node.Stop();
        _epmd.Dispose();
    }
}
