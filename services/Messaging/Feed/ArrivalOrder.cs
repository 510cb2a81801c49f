using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Accounts.Contracts;

namespace Accounts.Messaging.Feed;

/// <summary>
/// Runs each account's applies one after another in the order they were handed over, different accounts' at once. One
/// per queue in a process: batches from one queue are handled concurrently (their writes share the store's commits),
/// and a queue delivers in publish order, so an account's messages are applied in that order (a batch handed over
/// after another takes its place behind it as a whole). At most <paramref name="maxApplying"/> applies run at once,
/// however many batches were prefetched. Holds only the accounts with an apply in progress.
/// <para>
/// A batch can still be handed over before one the queue delivered earlier (a small batch is read faster than a large
/// one between the delivery and here). So an apply that finds a gap (<see cref="MessageOutOfOrderException"/>) once lets
/// its account's applies handed over after it go first, waiting up to <see cref="GapWait"/> for the next one, and is
/// tried again behind them; only then does its batch fail and take the retry path. Without this one inverted pair made
/// its batch retry, and the retried batch, handed over again behind later ones, made theirs retry too (92 batch retries
/// and 27 repairs from the feed in one benchmark run of the notification service).
/// </para>
/// </summary>
#pragma warning disable CA1001 // One per queue for the process's life; its semaphore never makes a wait handle, so there is nothing to dispose.
internal sealed class ArrivalOrder(int maxApplying, TimeProvider clock)
#pragma warning restore CA1001
{
    /// <summary>How long an apply that found a gap waits for its account's next hand-over before its batch fails.</summary>
    public static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(50);

    private static readonly ConcurrentDictionary<string, ArrivalOrder> ByQueue = new();
    private readonly Dictionary<Guid, Task> _last = [];
    private readonly Dictionary<Guid, TaskCompletionSource> _handOvers = [];
    private readonly SemaphoreSlim _applying = new(maxApplying);

    public static ArrivalOrder Of(string queue, int maxApplying) => ByQueue.GetOrAdd(queue, _ => new ArrivalOrder(maxApplying, TimeProvider.System));

    /// <summary>Runs each apply once the apply of its account handed over before it has ended (however it ended).</summary>
    public Task RunAsync(IReadOnlyList<(Guid Account, Func<Task> Apply)> applies)
    {
        var turns = new (Task? Before, TaskCompletionSource Done)[applies.Count];
        lock (_last)
        {
            for (var i = 0; i < applies.Count; i++)
            {
                var account = applies[i].Account;
                var done = NewTurn();
                turns[i] = (_last.GetValueOrDefault(account), done);
                _last[account] = done.Task;
                if (_handOvers.Remove(account, out var waiting))
                    waiting.SetResult();
            }
        }
        var running = new Task[applies.Count];
        for (var i = 0; i < applies.Count; i++)
            running[i] = RunInTurnAsync(applies[i].Account, turns[i].Before, turns[i].Done, applies[i].Apply);
        return Task.WhenAll(running);
    }

    private async Task RunInTurnAsync(Guid account, Task? before, TaskCompletionSource turn, Func<Task> apply)
    {
        var steppedBack = false;
        try
        {
            if (before is not null)
                await before;
            while (true)
            {
                ExceptionDispatchInfo gap;
                await _applying.WaitAsync();
                try
                {
                    await apply();
                    return;
                }
                catch (MessageOutOfOrderException e) when (!steppedBack)
                {
                    gap = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    _applying.Release();
                }
                steppedBack = true;
                (turn, before) = await StepBackAsync(account, turn, gap);
                await before;
            }
        }
        finally
        {
            lock (_last)
            {
                if (_last.TryGetValue(account, out var last) && last == turn.Task)
                    _last.Remove(account);
            }
            turn.SetResult();
        }
    }

    /// <summary>
    /// Puts the apply holding <paramref name="turn"/> behind its account's last hand-over, waiting up to <see cref="GapWait"/>
    /// for one when there is none yet: its new turn and what it waits for. Throws the <paramref name="gap"/> when none came.
    /// </summary>
    private async Task<(TaskCompletionSource Turn, Task Before)> StepBackAsync(Guid account, TaskCompletionSource turn, ExceptionDispatchInfo gap)
    {
        TaskCompletionSource handedOver;
        lock (_last)
        {
            if (_last[account] != turn.Task)
                return StepBehindLast(account, turn);
            _handOvers[account] = handedOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        try
        {
            await handedOver.Task.WaitAsync(GapWait, clock);
        }
        catch (TimeoutException)
        {
        }
        lock (_last)
        {
            if (_handOvers.TryGetValue(account, out var waiting) && waiting == handedOver)
                _handOvers.Remove(account);
            if (_last[account] != turn.Task)
                return StepBehindLast(account, turn);
        }
        gap.Throw();
        throw new UnreachableException();
    }

    /// <summary>Under the lock: a new turn at the end of the account's line; the old one ends, so the applies behind it run.</summary>
    private (TaskCompletionSource Turn, Task Before) StepBehindLast(Guid account, TaskCompletionSource turn)
    {
        var (later, before) = (NewTurn(), _last[account]);
        _last[account] = later.Task;
        turn.SetResult();
        return (later, before);
    }

    private static TaskCompletionSource NewTurn() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
