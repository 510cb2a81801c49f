using System.Diagnostics;
using System.Threading.Channels;
using Accounts.Contracts;
using Accounts.Contracts.Avro;
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
/// The event store is the outbox: the relay follows the global log from its checkpoint, publishes the account events as
/// integration messages in batches (<see cref="UserMessageBatch"/>: one broker message, each message's id the event's
/// id) and advances the checkpoint only behind publishes the broker confirmed, in log order. One batch is in flight at a
/// time and whatever the log brings meanwhile waits in the next one, so batches grow with the load (and with the broker's
/// confirm time) while a lone event leaves at once; a queue then delivers every account's messages in log order. A crash re-publishes what followed
/// the checkpoint (consumers de-duplicate); nothing is skipped. If it faults it logs, backs off and starts again from the
/// stored checkpoint. With several instances only the holder of the <see cref="RelayLease"/> relays; the others wait to
/// take it over.
/// </summary>
public sealed class OutboxRelay(
    IEventStore store, AccountKeys keys, ICheckpointStore checkpoints, IBus bus, AvroSingleObjectCodec codec, RelayLease lease, TimeProvider clock,
    IOptions<RelayOptions> options, ResiliencePipelineProvider<string> pipelines, ILogger<OutboxRelay> logger)
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
    private readonly int _maxBatch = options.Value.MaxBatch;
    private readonly TimeSpan _linger = options.Value.Linger;

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
        Batch? filling = null;
        try
        {
            await foreach (var stored in store.FollowAllAsync(start, UserStreams.Prefix, failed.Token))
            {
                // Personal fields are opened with the account's key; an erased account's read as erased. The event joins
                // the batch not yet published, else starts one, published once the broker confirmed the one before it.
                var opened = await keys.OpenAsync(stored, failed.Token);
                if (filling is null || !filling.TryAdd(stored, opened, _maxBatch))
                {
                    var next = new Batch(stored, opened);
                    next.Published = filling is not null && !filling.Published.IsCompleted
                        ? PublishAfterAsync(filling.Published, next, failed.Token)
                        : _linger > TimeSpan.Zero
                            ? PublishAfterAsync(Task.Delay(_linger, clock, failed.Token), next, failed.Token)
                            : PublishAsync(next, failed.Token);
                    filling = next;
                }
                await inFlight.Writer.WriteAsync((stored.Position, filling.Published), failed.Token);
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

    private async Task PublishAfterAsync(Task previous, Batch batch, CancellationToken cancellationToken)
    {
        await previous;
        await PublishAsync(batch, cancellationToken);
    }

    /// <summary>
    /// Publishes the batch, closed to further events from now on. Each message's publish span continues the trace of the
    /// request that appended its event (stored in its metadata), not the relay's own loop, and lasts until the broker
    /// confirmed; the batch's own send is traced under the first of them.
    /// </summary>
    private async Task PublishAsync(Batch batch, CancellationToken cancellationToken)
    {
        var items = batch.Close();
        var messages = new BatchedUserMessage[items.Count];
        var spans = new Activity?[items.Count];
        var loop = Activity.Current;
        var now = clock.GetUtcNow();
        for (var i = 0; i < items.Count; i++)
        {
            var (stored, opened) = items[i];
            var message = IntegrationMessages.From(opened, stored.Revision + 1);
            var metadata = stored.Metadata;
            CommandMetrics.Relayed(metadata.Timestamp, now);
            ActivityContext.TryParse(metadata.TraceParent, metadata.TraceState, out var parent);
            var span = spans[i] = Source.StartActivity($"{message.GetType().Name} relay", ActivityKind.Producer, parent);
            Activity.Current = loop;
            span?.SetTag("messaging.system", "rabbitmq");
            span?.SetTag("messaging.operation.type", "publish");
            span?.SetTag("messaging.message.id", stored.EventId.ToString());
            span?.SetTag("messaging.message.conversation_id", metadata.CorrelationId?.ToString());
            span?.SetTag("messaging.batch.message_count", items.Count);
            span?.SetTag("eventstore.position", (long)stored.Position);
            span?.SetTag("user.id", message.UserId.ToString());
            span?.SetTag("user.version", message.Version);
            span?.SetTag("relay.holder", lease.Holder);
            messages[i] = new BatchedUserMessage(
                stored.EventId, metadata.CorrelationId, metadata.CausationId,
                span?.Id ?? metadata.TraceParent, span is null ? metadata.TraceState : span.TraceStateString, codec.Encode(message));
        }

        CommandMetrics.Batched(items.Count);
        var status = ActivityStatusCode.Error;
        try
        {
            Activity.Current = spans[0] ?? loop;
            await bus.Publish(new UserMessageBatch(messages), context => context.Durable = true, cancellationToken);
            status = ActivityStatusCode.Ok;
        }
        finally
        {
            foreach (var span in spans)
            {
                span?.SetStatus(status);
                span?.Stop();
            }
        }
    }

    /// <summary>The events that leave in one publish: open to more until it is published (or full).</summary>
    private sealed class Batch(StoredEvent stored, IUserEvent opened)
    {
        private readonly List<(StoredEvent Stored, IUserEvent Opened)> _items = [(stored, opened)];
        private bool _closed;

        /// <summary>Confirmed by the broker when complete.</summary>
        public Task Published { get; set; } = Task.CompletedTask;

        public bool TryAdd(StoredEvent stored, IUserEvent opened, int max)
        {
            lock (_items)
            {
                if (_closed || _items.Count >= max)
                    return false;
                _items.Add((stored, opened));
                return true;
            }
        }

        public List<(StoredEvent Stored, IUserEvent Opened)> Close()
        {
            lock (_items)
            {
                _closed = true;
                return _items;
            }
        }
    }
}
