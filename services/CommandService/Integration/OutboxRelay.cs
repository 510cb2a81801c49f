using System.Diagnostics;
using System.Threading.Channels;
using Accounts.Domain;
using CommandService.Application;
using CommandService.Infrastructure;
using EventStore;
using MassTransit;
using Microsoft.Extensions.Options;
using Polly.Registry;
using ServiceDefaults;

namespace CommandService.Integration;

/// <summary>
/// The event store is the outbox: the relay follows the global log from its checkpoint, publishes each account event
/// as an integration message (message id = event id) and advances the checkpoint only behind publishes the broker
/// confirmed, in log order. Many publishes are in flight at once (awaiting each confirm would cap it near 1,500/s).
/// A crash re-publishes what followed the checkpoint (consumers de-duplicate); nothing is skipped. If it faults it logs,
/// backs off and starts again from the stored checkpoint. With several instances only the holder of the
/// <see cref="RelayLease"/> relays; the others wait to take it over.
/// </summary>
public sealed class OutboxRelay(
    IEventStore store, AccountKeys keys, ICheckpointStore checkpoints, IBus bus, RelayLease lease, TimeProvider clock, IOptions<RelayOptions> options,
    ResiliencePipelineProvider<string> pipelines, ILogger<OutboxRelay> logger)
    : BackgroundService
{
    public const string CheckpointName = "relay";
    public static readonly ActivitySource Source = new("Accounts.Relay");

    /// <summary>The supervisor's restart pipeline (<see cref="Supervisor.AddSupervisor"/>): pauses of 1 s doubling up to 30 s.</summary>
    public const string SupervisorPipeline = "outbox-relay";
    public static readonly TimeSpan MaxRestartPause = TimeSpan.FromSeconds(30);

    private readonly int _maxInFlight = options.Value.MaxInFlight;
    private readonly int _checkpointEvery = options.Value.CheckpointEvery;
    private readonly TimeSpan _confirmTimeout = options.Value.ConfirmTimeout;
    private readonly TimeSpan _checkpointInterval = options.Value.CheckpointInterval;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        pipelines.SuperviseAsync(SupervisorPipeline, token => lease.RunWhileHeldAsync(RunAsync, token), logger, stoppingToken);

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var inFlight = Channel.CreateBounded<(ulong Position, Task Published)>(
            new BoundedChannelOptions(_maxInFlight) { SingleReader = true, SingleWriter = true });
        var start = await checkpoints.LoadCheckpointAsync(CheckpointName, stoppingToken);
        logger.LogInformation("Relay starting after position {Position}", start?.ToString() ?? "(start)");

        var confirming = ConfirmInOrderAsync(inFlight.Reader, failed);
        var lastOfStream = new Dictionary<string, Task>();
        try
        {
            await foreach (var stored in store.FollowAllAsync(start, UserStreams.Prefix, failed.Token))
            {
                // Concurrent publishes may reach the broker in any order, so one account's events go one after another
                // (the next once the broker confirmed the previous): consumers then see each account's versions in order.
                // Personal fields are opened with the account's key; an erased account's read as erased.
                var opened = await keys.OpenAsync(stored, failed.Token);
                var published = lastOfStream.TryGetValue(stored.Stream, out var previous) && !previous.IsCompleted
                    ? PublishAfterAsync(previous, stored, opened, failed.Token)
                    : PublishAsync(stored, opened, failed.Token);
                lastOfStream[stored.Stream] = published;
                if (lastOfStream.Count > 4 * _maxInFlight)
                {
                    foreach (var done in lastOfStream.Where(pair => pair.Value.IsCompleted).Select(pair => pair.Key).ToList())
                    {
                        lastOfStream.Remove(done);
                    }
                }
                await inFlight.Writer.WriteAsync((stored.Position, published), failed.Token);
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // The confirming loop failed and cancelled us: its exception is the one to report.
        }
        finally
        {
            inFlight.Writer.TryComplete();
        }
        await confirming;
    }

    /// <summary>
    /// Awaits publishes in log order and stores the checkpoint behind them: every N while busy; when idle, at once the
    /// first time and then at most once per interval (each store is a durable write: storing after every lone publish
    /// doubled the event store's commits at moderate load).
    /// </summary>
    private async Task ConfirmInOrderAsync(ChannelReader<(ulong Position, Task Published)> inFlight, CancellationTokenSource failed)
    {
        ulong? confirmed = null, stored = null;
        var sinceStored = 0;
        long? storedAt = null;
        async Task StoreAsync(ulong position)
        {
            await checkpoints.StoreCheckpointAsync(CheckpointName, position, CancellationToken.None);
            (stored, sinceStored, storedAt) = (position, 0, clock.GetTimestamp());
        }
        try
        {
            while (true)
            {
                while (inFlight.TryRead(out var next))
                {
                    await ConfirmedAsync(next);
                    confirmed = next.Position;
                    if (++sinceStored >= _checkpointEvery)
                    {
                        await StoreAsync(next.Position);
                    }
                }
                var more = inFlight.WaitToReadAsync(CancellationToken.None).AsTask();
                if (confirmed is { } position && position != stored && !more.IsCompleted)
                {
                    var wait = storedAt is { } at ? _checkpointInterval - clock.GetElapsedTime(at) : TimeSpan.Zero;
                    if (wait <= TimeSpan.Zero || !await more.CompletesWithinAsync(wait, clock))
                    {
                        await StoreAsync(position);
                    }
                }
                if (!await more)
                {
                    if (confirmed is { } last && last != stored)
                    {
                        await StoreAsync(last);
                    }
                    return;
                }
            }
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }
    }

    /// <summary>The publish at <paramref name="next"/>'s position, confirmed; a <see cref="TimeoutException"/> when the broker stays silent.</summary>
    private async Task ConfirmedAsync((ulong Position, Task Published) next)
    {
        try
        {
            await next.Published.WaitAsync(_confirmTimeout, clock);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"The broker did not confirm the publish at position {next.Position} within {_confirmTimeout}; relaying again from the checkpoint.");
        }
    }

    private async Task PublishAfterAsync(Task previous, StoredEvent stored, IUserEvent opened, CancellationToken cancellationToken)
    {
        await previous;
        await PublishAsync(stored, opened, cancellationToken);
    }

    private Task PublishAsync(StoredEvent stored, IUserEvent opened, CancellationToken cancellationToken)
    {
        var message = IntegrationMessages.From(opened, stored.Revision + 1);
        var metadata = stored.Metadata;
        CommandMetrics.Relayed(metadata.Timestamp, clock.GetUtcNow());

        // The publish span continues the trace of the request that appended the event (stored in its metadata), not
        // the relay's own loop; it lasts until the broker confirmed.
        var loop = Activity.Current;
        ActivityContext.TryParse(metadata.TraceParent, metadata.TraceState, out var parent);
        var activity = Source.StartActivity($"{message.GetType().Name} relay", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "publish");
        activity?.SetTag("messaging.message.id", stored.EventId.ToString());
        activity?.SetTag("messaging.message.conversation_id", metadata.CorrelationId?.ToString());
        activity?.SetTag("eventstore.position", (long)stored.Position);
        activity?.SetTag("user.id", message.UserId.ToString());
        activity?.SetTag("user.version", message.Version);
        activity?.SetTag("relay.holder", lease.Holder);
        try
        {
            var published = bus.Publish(message, message.GetType(), context =>
            {
                context.MessageId = stored.EventId;
                context.CorrelationId = metadata.CorrelationId;
                context.InitiatorId = metadata.CausationId;
                context.Durable = true;
            }, cancellationToken);
            return activity is null ? published : published.ContinueWith(t =>
            {
                activity.SetStatus(t.IsCompletedSuccessfully ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
                activity.Stop();
                return t;
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        }
        finally
        {
            Activity.Current = loop;
        }
    }
}
