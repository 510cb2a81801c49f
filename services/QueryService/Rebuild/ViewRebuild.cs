using Accounts.Contracts.Avro;
using Accounts.Messaging.Feed;
using Microsoft.Extensions.Options;
using QueryService.Views;

namespace QueryService.Rebuild;

/// <summary>
/// Builds a new generation of the views from the command service's feed while the served one answers queries and takes
/// live changes: pages through <c>/feed</c>, folds each page with the live evolution (<see cref="RebuildFold"/>) and writes
/// it with the position reached in one batch. Caught up with the head, it holds live changes back (<see cref="LiveWritesGate"/>),
/// reads what arrived meanwhile and switches the pointer: nothing the served generation had is missing from the new one.
/// The generation being built and its position are stored, so a host that starts with one resumes it.
/// </summary>
public sealed class ViewRebuild(
    IViewGenerations generations, LiveWritesGate gate, IHttpClientFactory http, AvroSingleObjectCodec codec,
    IOptions<FeedOptions> feed, IOptions<QueryOptions> options, TimeProvider time, ILogger<ViewRebuild> logger) : IHostedService, IDisposable
{
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private RebuildStatus _status = RebuildStatus.Idle;
    private bool _disposed;

    public RebuildStatus Status => _status;

    /// <summary>Whether a rebuild can be asked for here: it needs the feed (<c>Feed:BaseUrl</c>).</summary>
    public bool HasFeed => feed.Value.BaseUrl is not null;

    /// <summary>Starts (or resumes) a rebuild in the background; false when one is running already.</summary>
    public bool TryStart()
    {
        lock (_lock)
        {
            if (_status.InProgress)
            {
                return false;
            }
            _status = RebuildStatus.Idle with { State = RebuildState.Running };
            _running = Task.Run(() => RunAsync(_stopping.Token));
            return true;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (HasFeed && (await generations.ReadPointerAsync(cancellationToken)).Building is { } building)
        {
            logger.LogInformation("Resuming the rebuild of view generation {Generation}", building);
            TryStart();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _stopping.Cancel();
            }
        }
        await _running.WaitAsync(cancellationToken);
    }

    /// <summary>Cancels a run still going (a test host may dispose its services before it stops them) and releases the token source.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _stopping.Cancel();
                _stopping.Dispose();
                _disposed = true;
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pointer = await generations.BeginAsync(cancellationToken);
            var generation = pointer.Building!.Value;
            logger.LogInformation("Building view generation {Generation} from feed position {Position}", generation, pointer.Position?.ToString() ?? "(start)");
            var run = new RebuildRun(generation, pointer.Position, time);
            var reader = new FeedClient(http.CreateClient(FeedClient.Name), codec);
            await CatchUpAsync(reader, run, cancellationToken);
            Report(run, RebuildState.Switching);
            using (await gate.PauseAsync(cancellationToken))
            {
                await CatchUpAsync(reader, run, cancellationToken);
                await generations.SwitchAsync(generation, cancellationToken);
            }
            Report(run, RebuildState.Done);
            logger.LogInformation("View generation {Generation} is served: {Events} messages at {Rate:0} per second", generation, run.Events, run.EventsPerSecond);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("The rebuild stops with the host; it resumes when the host starts again");
        }
        catch (Exception e)
        {
            logger.LogError(e, "The rebuild failed");
            lock (_lock)
            {
                _status = _status with { State = RebuildState.Failed, Error = e.Message, Eta = null };
            }
        }
    }

    /// <summary>Reads pages until the feed has nothing after the position reached; the next page is read while one is written.</summary>
    private async Task CatchUpAsync(FeedClient reader, RebuildRun run, CancellationToken cancellationToken)
    {
        var pageSize = options.Value.RebuildPageSize;
        var reading = reader.ReadAsync(run.Position, pageSize, cancellationToken);
        while (true)
        {
            var (messages, next, head) = await reading;
            if (next is not { } reached || reached == run.Position)
            {
                run.Reached(run.Position, head, 0);
                return;
            }
            reading = reader.ReadAsync(reached, pageSize, cancellationToken);
            var page = messages.Select(m => m.Message).ToList();
            var known = await generations.FindBuildingAsync(run.Generation, RebuildFold.UsersToLoad(page), cancellationToken);
            await generations.WriteBuildingAsync(run.Generation, RebuildFold.Fold(known, page), reached, cancellationToken);
            run.Reached(reached, head, page.Count);
            Report(run, _status.State);
        }
    }

    private void Report(RebuildRun run, string state)
    {
        lock (_lock)
        {
            _status = new RebuildStatus(state, run.Position, run.Head, run.EventsPerSecond, state == RebuildState.Done ? 0 : run.Eta, run.Generation, run.Events);
        }
    }
}
