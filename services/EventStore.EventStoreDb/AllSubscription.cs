using System.Runtime.CompilerServices;
using EventStore.EventStoreDb.Protocol;
using Grpc.Core;
using Polly;

namespace EventStore.EventStoreDb;

/// <summary>
/// Follows $all through a live subscription that survives drops: when the server ends the subscription or it drops (see
/// <see cref="EventStoreDbErrors.IsDroppedSubscription"/>), it is re-established after the last position seen, with the
/// back-off of the pipeline <see cref="EventStoreDbResilience.Resubscribe"/>. Each response is awaited through that
/// pipeline, so the back-off starts over once a subscription answers (its confirmation). System events are left out;
/// the server's checkpoints move the resume position past what its filter skipped. In a cluster a drop for a lost node or
/// a leader change finds the leader again first. One instance serves one follow.
/// </summary>
internal sealed class AllSubscription(ClusterConnection nodes, ResiliencePipeline resubscribe, string? streamPrefix)
{
    private AsyncServerStreamingCall<ReadResp>? _call;
    private ulong? _after;

    public async IAsyncEnumerable<StoredEvent> FollowAsync(ulong? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _after = after;
        try
        {
            while (true)
            {
                var response = await resubscribe.ExecuteAsync(static (self, token) => self.NextAsync(token), this, cancellationToken);
                switch (response.ContentCase)
                {
                    case ReadResp.ContentOneofCase.Checkpoint:
                        // Everything up to here was scanned and filtered out: resume after it on a reconnect.
                        _after = Max(_after, GlobalPosition.FromCheckpoint(response.Checkpoint));
                        break;
                    case ReadResp.ContentOneofCase.Event:
                        var position = GlobalPosition.Of(response.Event);
                        if (_after is { } seen && position <= seen)
                        {
                            break;
                        }
                        _after = position;
                        if (!RecordedEvents.IsSystem(response.Event))
                        {
                            yield return RecordedEvents.ToStored(response.Event);
                        }
                        break;
                }
            }
        }
        finally
        {
            Drop();
        }
    }

    /// <summary>The next response, subscribing first when there is no live subscription.</summary>
    private async ValueTask<ReadResp> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            // On the leader (requires-leader in a cluster): it has every committed event first.
            _call ??= (await nodes.LeaderAsync(cancellationToken)).Read(StreamsRequests.SubscribeToAll(_after, streamPrefix), nodes.LeaderHeaders, deadline: null, cancellationToken);
            if (await _call.ResponseStream.MoveNext(cancellationToken))
            {
                return _call.ResponseStream.Current;
            }
        }
        catch (RpcException e) when (EventStoreDbErrors.IsDroppedSubscription(e) && !cancellationToken.IsCancellationRequested)
        {
            nodes.ForgetIf(e);
            Drop();
            throw new SubscriptionDroppedException($"The subscription to $all dropped ({e.StatusCode}).", e);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        Drop();
        throw new SubscriptionDroppedException();
    }

    private static ulong? Max(ulong? current, ulong candidate) => current is { } c && c >= candidate ? c : candidate;

    private void Drop()
    {
        _call?.Dispose();
        _call = null;
    }
}

/// <summary>The server ended a subscription, or it dropped in a way worth resubscribing after (<see cref="EventStoreDbErrors.IsDroppedSubscription"/>).</summary>
public sealed class SubscriptionDroppedException(string message, Exception? innerException) : Exception(message, innerException)
{
    public SubscriptionDroppedException()
        : this("The subscription to $all ended.", null)
    {
    }

    public SubscriptionDroppedException(string message)
        : this(message, null)
    {
    }
}
