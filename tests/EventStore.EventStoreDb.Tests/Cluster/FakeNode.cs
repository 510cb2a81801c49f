using EventStore.EventStoreDb.Protocol;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.EventStoreDb.Tests.Cluster;

/// <summary>
/// An in-process gRPC server (ASP.NET Core's TestServer) standing in for one EventStoreDB cluster node: it answers
/// <c>Gossip.Read</c> with the members the test sets, and <c>Streams.Append</c> like a leader (success) or a follower
/// (<c>not-leader</c>), recording each append's event ids and <c>requires-leader</c> header. A stopped node is Unavailable.
/// </summary>
public sealed class FakeNode : IAsyncDisposable
{
    private WebApplication _app = null!;

    private FakeNode(string host) => Host = host;

    public string Host { get; }

    public Uri Address => new($"http://{Host}:2113");

    public IReadOnlyList<MemberInfo> Members { get; set; } = [];

    public bool Leads { get; set; }

    public bool Stopped { get; set; }

    public List<(string RequiresLeader, Guid[] EventIds)> Appends { get; } = [];

    public static async Task<FakeNode> StartAsync(string host)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGrpc();
        var node = new FakeNode(host);
        builder.Services.AddSingleton(node);
        node._app = builder.Build();
        node._app.MapGrpcService<GossipService>();
        node._app.MapGrpcService<StreamsService>();
        await node._app.StartAsync();
        return node;
    }

    /// <summary>The channel the adapter opens to this node: through the test server, no socket.</summary>
    public GrpcChannel Channel() => GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = _app.GetTestServer().CreateHandler() });

    private void ThrowIfStopped()
    {
        if (Stopped)
            throw new RpcException(new Status(StatusCode.Unavailable, $"{Host} is down"));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>As generated server code is laid out: the binder maps each method to a virtual one of the attributed base.</summary>
    [BindServiceMethod(typeof(GossipBase), nameof(BindService))]
    public abstract class GossipBase
    {
        private static readonly Method<Empty, ClusterInfo> ReadMethod = new(MethodType.Unary, "event_store.client.gossip.Gossip", nameof(Read),
            Marshallers.Create<Empty>(m => m.ToByteArray(), Empty.Parser.ParseFrom), Marshallers.Create<ClusterInfo>(m => m.ToByteArray(), ClusterInfo.Parser.ParseFrom));

        public static void BindService(ServiceBinderBase binder, GossipBase? service) =>
            binder.AddMethod(ReadMethod, service is null ? null : service.Read);

        public abstract Task<ClusterInfo> Read(Empty request, ServerCallContext context);
    }

    [BindServiceMethod(typeof(StreamsBase), nameof(BindService))]
    public abstract class StreamsBase
    {
        private static readonly Method<AppendReq, AppendResp> AppendMethod = new(MethodType.ClientStreaming, "event_store.client.streams.Streams", nameof(Append),
            Marshallers.Create<AppendReq>(m => m.ToByteArray(), AppendReq.Parser.ParseFrom), Marshallers.Create<AppendResp>(m => m.ToByteArray(), AppendResp.Parser.ParseFrom));

        public static void BindService(ServiceBinderBase binder, StreamsBase? service) =>
            binder.AddMethod(AppendMethod, service is null ? null : service.Append);

        public abstract Task<AppendResp> Append(IAsyncStreamReader<AppendReq> requests, ServerCallContext context);
    }

    public sealed class GossipService(FakeNode node) : GossipBase
    {
        public override Task<ClusterInfo> Read(Empty request, ServerCallContext context)
        {
            node.ThrowIfStopped();
            return Task.FromResult(new ClusterInfo { Members = { node.Members } });
        }
    }

    public sealed class StreamsService(FakeNode node) : StreamsBase
    {
        public override async Task<AppendResp> Append(IAsyncStreamReader<AppendReq> requests, ServerCallContext context)
        {
            node.ThrowIfStopped();
            var ids = new List<Guid>();
            await foreach (var request in requests.ReadAllAsync())
            {
                if (request.ContentCase == AppendReq.ContentOneofCase.ProposedMessage)
                    ids.Add(Guid.Parse(request.ProposedMessage.Id.String));
            }
            lock (node.Appends)
                node.Appends.Add((context.RequestHeaders.GetValue("requires-leader") ?? "", [.. ids]));
            if (!node.Leads)
                throw new RpcException(new Status(StatusCode.NotFound, "Leader info available"), new Metadata { { "exception", "not-leader" } });
            return new AppendResp
            {
                Success = new AppendResp.Types.Success { CurrentRevision = 0, Position = new AppendResp.Types.Position { CommitPosition = 100, PreparePosition = 100 } },
            };
        }
    }
}
