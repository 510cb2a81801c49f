using System.Collections.Concurrent;
using EventStore.EventStoreDb.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace EventStore.EventStoreDb;

/// <summary>
/// The nodes the adapter talks to. One node as given; in a cluster (several hosts, or <c>esdb+discover://</c>) the leader,
/// for writes and subscriptions (sent with <c>requires-leader: true</c>), and the node the <see cref="NodePreference"/>
/// picks for reads, both found by asking the seeds' gossip (<c>Gossip.Read</c>) in turn. After "not leader" or a lost
/// node the caller forgets them (<see cref="Forget"/>) and the next call discovers them again.
/// </summary>
internal sealed class ClusterConnection(EventStoreDbConnectionString connection, Func<Uri, GrpcChannel> openChannel) : IDisposable
{
    private readonly ConcurrentDictionary<Uri, GrpcChannel> _channels = new();
    private readonly SemaphoreSlim _discovering = new(1, 1);
    private Nodes? _nodes;

    public Metadata LeaderHeaders { get; } = Headers(connection, connection.IsCluster ? "true" : null);

    public Metadata ReaderHeaders { get; } = Headers(connection, connection.IsCluster ? (connection.NodePreference == NodePreference.Leader ? "true" : "false") : null);

    public async ValueTask<Streams.StreamsClient> LeaderAsync(CancellationToken cancellationToken) => (await CurrentAsync(cancellationToken)).Leader;

    public async ValueTask<Streams.StreamsClient> ReaderAsync(CancellationToken cancellationToken) => (await CurrentAsync(cancellationToken)).Reader;

    /// <summary>The addresses in use now (null before the first call): for logs and tests.</summary>
    public (Uri Leader, Uri Reader)? Known => _nodes is { } nodes ? (nodes.LeaderAddress, nodes.ReaderAddress) : null;

    /// <summary>Forgets the nodes when the call failed in a way that says they changed: the next call asks the gossip again.</summary>
    public void ForgetIf(RpcException e)
    {
        if (connection.IsCluster && (EventStoreDbErrors.IsNotLeader(e) || e.StatusCode == StatusCode.Unavailable))
            Forget();
    }

    public void Forget() => Volatile.Write(ref _nodes, null);

    private async ValueTask<Nodes> CurrentAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _nodes) ?? await DiscoverAsync(cancellationToken);

    private async Task<Nodes> DiscoverAsync(CancellationToken cancellationToken)
    {
        await _discovering.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _nodes) is { } known)
                return known;
            var found = connection.IsCluster ? await AskGossipAsync(cancellationToken) : new Nodes(Client(connection.Address), connection.Address, Client(connection.Address), connection.Address);
            Volatile.Write(ref _nodes, found);
            return found;
        }
        finally
        {
            _discovering.Release();
        }
    }

    private async Task<Nodes> AskGossipAsync(CancellationToken cancellationToken)
    {
        var answers = new List<string>();
        foreach (var seed in connection.Seeds)
        {
            try
            {
                var info = await new Gossip.GossipClient(Channel(seed)).ReadAsync(new Empty(), LeaderHeaders, DateTime.UtcNow + connection.Deadline, cancellationToken);
                if (ClusterMembers.Leader(info.Members) is { } leader)
                {
                    var reader = ClusterMembers.ForReads(info.Members, connection.NodePreference, Random.Shared) ?? leader;
                    var (leaderAddress, readerAddress) = (ClusterMembers.AddressOf(leader, connection.UseTls), ClusterMembers.AddressOf(reader, connection.UseTls));
                    return new Nodes(Client(leaderAddress), leaderAddress, Client(readerAddress), readerAddress);
                }
                answers.Add($"{seed.Authority}: no leader among {info.Members.Count} member(s)");
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                answers.Add($"{seed.Authority}: {e.StatusCode}");
            }
        }
        // Unavailable: the callers' retry pipelines try again (an election usually takes a second or two).
        throw new RpcException(new Status(StatusCode.Unavailable, $"No EventStoreDB node named a leader ({string.Join("; ", answers)})."));
    }

    /// <summary>A channel to one node: HTTP/2 kept alive by pings, so a silent node is noticed.</summary>
    public static GrpcChannel OpenChannel(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        },
    });

    private Streams.StreamsClient Client(Uri address) => new(Channel(address));

    private GrpcChannel Channel(Uri address) => _channels.GetOrAdd(address, openChannel);

    private static Metadata Headers(EventStoreDbConnectionString connection, string? requiresLeader)
    {
        var headers = new Metadata();
        if (connection.BasicAuthorization is { } authorization)
            headers.Add("authorization", authorization);
        if (requiresLeader is not null)
            headers.Add("requires-leader", requiresLeader);
        return headers;
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
            channel.Dispose();
        _discovering.Dispose();
    }

    private sealed record Nodes(Streams.StreamsClient Leader, Uri LeaderAddress, Streams.StreamsClient Reader, Uri ReaderAddress);
}
