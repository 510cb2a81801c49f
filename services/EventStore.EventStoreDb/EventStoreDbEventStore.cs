using EventStore.EventStoreDb.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Polly;
using Polly.Registry;

namespace EventStore.EventStoreDb;

/// <summary>
/// The event store port on EventStoreDB (23.10 and later, KurrentDB), spoken over its public gRPC streams protocol.
/// Positions are commit positions (see <see cref="GlobalPosition"/>); the log this adapter reads and follows leaves out
/// system events, including its own checkpoint events (see <see cref="CheckpointStreams"/>). Retries and resubscriptions
/// are the Polly pipelines of <see cref="EventStoreDbResilience"/>.
/// </summary>
public sealed partial class EventStoreDbEventStore : IEventStore, ICheckpointStore, IDisposable
{
    private readonly ClusterConnection _nodes;
    private readonly TimeSpan _deadline;
    private readonly ResiliencePipeline _reads;
    private readonly ResiliencePipeline _appends;
    private readonly ResiliencePipeline _resubscribe;

    public EventStoreDbEventStore(string connectionString, ResiliencePipelineProvider<string> pipelines)
        : this(EventStoreDbConnectionString.Parse(connectionString), pipelines)
    {
    }

    /// <param name="connection">Where the server (or the cluster) is.</param>
    /// <param name="pipelines">The pipelines <see cref="EventStoreDbResilience.AddEventStoreDbResilience"/> registered.</param>
    public EventStoreDbEventStore(EventStoreDbConnectionString connection, ResiliencePipelineProvider<string> pipelines)
        : this(connection, pipelines, ClusterConnection.OpenChannel)
    {
    }

    /// <param name="openChannel">Opens the gRPC channel to one node (tests: an in-process server).</param>
    internal EventStoreDbEventStore(EventStoreDbConnectionString connection, ResiliencePipelineProvider<string> pipelines, Func<Uri, GrpcChannel> openChannel)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(pipelines);
        _reads = pipelines.GetPipeline(EventStoreDbResilience.Reads);
        _appends = pipelines.GetPipeline(EventStoreDbResilience.Appends);
        _resubscribe = pipelines.GetPipeline(EventStoreDbResilience.Resubscribe);
        _nodes = new ClusterConnection(connection, openChannel);
        _deadline = connection.Deadline;
    }

    /// <summary>The leader and the node reads go to, once known: for logs and tests.</summary>
    internal (Uri Leader, Uri Reader)? Nodes => _nodes.Known;

    public async Task<AppendResult> AppendAsync(
        string stream, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("Nothing to append.", nameof(events));
        }
        var messages = new List<AppendReq>(events.Count + 1) { StreamsRequests.AppendOptions(stream, expected) };
        messages.AddRange(events.Select(StreamsRequests.ProposedMessage));
        var response = await SendAppendAsync(stream, expected, messages, cancellationToken);
        if (response.ResultCase == AppendResp.ResultOneofCase.WrongExpectedVersion)
        {
            throw EventStoreDbErrors.WrongExpectedRevision(stream, expected, response.WrongExpectedVersion);
        }
        var success = response.Success ?? throw new InvalidOperationException("The server answered an append with neither success nor a conflict.");
        if (success.CurrentRevisionOptionCase != AppendResp.Types.Success.CurrentRevisionOptionOneofCase.CurrentRevision)
        {
            throw new InvalidOperationException($"The server reports no stream after appending to '{stream}'.");
        }
        var revision = checked((long)success.CurrentRevision);
        if (success.PositionOptionCase == AppendResp.Types.Success.PositionOptionOneofCase.Position)
        {
            return new AppendResult(revision, GlobalPosition.FromAppend(success.Position));
        }
        // A write the server recognised as a duplicate of an earlier one (same event ids) comes back without a position:
        // the earlier write's last event carries it.
        var last = await ReadStreamAsync(stream, revision, 1, cancellationToken);
        return last.Count == 1
            ? new AppendResult(revision, last[0].Position)
            : throw new InvalidOperationException($"Event {revision} of '{stream}' was reported written but cannot be read.");
    }

    private async Task<AppendResp> SendAppendAsync(string stream, ExpectedRevision expected, List<AppendReq> messages, CancellationToken cancellationToken)
    {
        try
        {
            return await _appends.ExecuteAsync(async token =>
            {
                try
                {
                    return await AppendCall.SendAsync(await _nodes.LeaderAsync(token), _nodes.LeaderHeaders, Deadline(), messages, token);
                }
                catch (RpcException e)
                {
                    _nodes.ForgetIf(e); // the retry (same event ids) then goes to the leader found anew
                    throw;
                }
            }, cancellationToken);
        }
        catch (RpcException e) when (EventStoreDbErrors.IsWrongExpectedVersion(e))
        {
            throw EventStoreDbErrors.WrongExpectedRevision(stream, expected, e);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
    }

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
        string stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(fromRevision);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return maxCount == 0
            ? Task.FromResult<IReadOnlyList<StoredEvent>>([])
            : ReadAsync(StreamsRequests.ReadStream(stream, fromRevision, (ulong)maxCount), _ => true, maxCount, cancellationToken);
    }

    public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(ulong? after, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        if (maxCount == 0)
        {
            return Task.FromResult<IReadOnlyList<StoredEvent>>([]);
        }
        // The server reads $all from a position inclusively: ask for one more and drop the event at `after` itself.
        var count = after is null ? (ulong)maxCount : (ulong)maxCount + 1;
        return ReadAsync(StreamsRequests.ReadAll(after, count), e => after is not { } a || e.Position > a, maxCount, cancellationToken);
    }

    public async Task<ulong?> ReadHeadAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(StreamsRequests.ReadLastOfAll(), _ => true, 1, cancellationToken)) is [var last] ? last.Position : null;

    private async Task<IReadOnlyList<StoredEvent>> ReadAsync(
        ReadReq request, Func<StoredEvent, bool> wanted, int maxCount, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadWithRetriesAsync(request, wanted, maxCount, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<StoredEvent>> ReadWithRetriesAsync(
        ReadReq request, Func<StoredEvent, bool> wanted, int maxCount, CancellationToken cancellationToken) =>
        await _reads.ExecuteAsync(async token =>
        {
            var events = new List<StoredEvent>();
            using var call = (await _nodes.ReaderAsync(token)).Read(request, _nodes.ReaderHeaders, Deadline(), token);
            try
            {
                await foreach (var response in call.ResponseStream.ReadAllAsync(token))
                {
                    if (response.ContentCase == ReadResp.ContentOneofCase.StreamNotFound)
                    {
                        return events;
                    }
                    if (response.ContentCase != ReadResp.ContentOneofCase.Event || RecordedEvents.IsSystem(response.Event))
                    {
                        continue;
                    }
                    var stored = RecordedEvents.ToStored(response.Event);
                    if (wanted(stored) && events.Count < maxCount)
                    {
                        events.Add(stored);
                    }
                }
            }
            catch (RpcException e) when (EventStoreDbErrors.IsStreamNotFound(e))
            {
                return events;
            }
            catch (RpcException e)
            {
                _nodes.ForgetIf(e);
                throw;
            }
            return events;
        }, cancellationToken);

    public IAsyncEnumerable<StoredEvent> FollowAllAsync(ulong? after, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
        new AllSubscription(_nodes, _resubscribe, streamPrefix).FollowAsync(after, cancellationToken);

    private DateTime Deadline() => DateTime.UtcNow + _deadline;

    public void Dispose() => _nodes.Dispose();
}
