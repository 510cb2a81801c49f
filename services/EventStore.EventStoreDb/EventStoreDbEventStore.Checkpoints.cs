using System.Collections.Concurrent;
using EventStore.EventStoreDb.Protocol;
using Grpc.Core;

namespace EventStore.EventStoreDb;

/// <summary>The checkpoint store: each checkpoint is the last event of its own stream (see <see cref="CheckpointStreams"/>).</summary>
public sealed partial class EventStoreDbEventStore
{
    private readonly ConcurrentDictionary<string, bool> _checkpointStreamsReady = new(StringComparer.Ordinal);

    public async Task<ulong?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var last = await _reads.ExecuteAsync(async token =>
        {
            // From the leader: a checkpoint must be read as last written.
            using var call = (await _nodes.LeaderAsync(token)).Read(StreamsRequests.ReadLastOfStream(CheckpointStreams.StreamOf(name)), _nodes.LeaderHeaders, Deadline(), token);
            try
            {
                await foreach (var response in call.ResponseStream.ReadAllAsync(token))
                {
                    if (response.ContentCase == ReadResp.ContentOneofCase.Event)
                    {
                        return response.Event.Event;
                    }
                }
            }
            catch (RpcException e) when (EventStoreDbErrors.IsStreamNotFound(e))
            {
            }
            return null;
        }, cancellationToken);
        return last is null ? null : CheckpointStreams.FromJson(last.Data.Span);
    }

    public async Task StoreCheckpointAsync(string name, ulong position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_checkpointStreamsReady.ContainsKey(name))
        {
            await KeepOnlyLastCheckpointAsync(name, cancellationToken);
            _checkpointStreamsReady[name] = true;
        }
        var stream = CheckpointStreams.StreamOf(name);
        var response = await SendAppendAsync(stream, ExpectedRevision.Any,
        [
            StreamsRequests.AppendOptions(stream, ExpectedRevision.Any),
            StreamsRequests.ProposedMessage(Guid.NewGuid(), CheckpointStreams.EventType, CheckpointStreams.ToJson(position)),
        ], cancellationToken);
        if (response.ResultCase != AppendResp.ResultOneofCase.Success)
        {
            throw new InvalidOperationException($"Checkpoint '{name}' was not stored: {response}.");
        }
    }

    /// <summary>Sets the checkpoint stream's $maxCount to 1 once; a conflict means an earlier run already set it.</summary>
    private async Task KeepOnlyLastCheckpointAsync(string name, CancellationToken cancellationToken)
    {
        var metadataStream = CheckpointStreams.MetadataStreamOf(name);
        try
        {
            await SendAppendAsync(metadataStream, ExpectedRevision.NoStream,
            [
                StreamsRequests.AppendOptions(metadataStream, ExpectedRevision.NoStream),
                StreamsRequests.ProposedMessage(Guid.NewGuid(), CheckpointStreams.MetadataEventType, CheckpointStreams.KeepOnlyTheLast),
            ], cancellationToken);
        }
        catch (WrongExpectedRevisionException)
        {
            // Set by an earlier run (the answer usually comes as a response, which needs no handling here).
        }
    }
}
