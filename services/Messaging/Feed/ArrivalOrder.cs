using System.Collections.Concurrent;

namespace Accounts.Messaging.Feed;

/// <summary>
/// Runs each account's applies one after another in the order they were handed over, different accounts' at once. One
/// per queue in a process: batches from one queue are handled concurrently (their writes share the store's commits),
/// and a queue delivers in publish order, so an account's messages are applied in that order (a batch handed over
/// after another takes its place behind it as a whole). At most <paramref name="maxApplying"/> applies run at once,
/// however many batches were prefetched. Holds only the accounts with an apply in progress.
/// </summary>
#pragma warning disable CA1001 // One per queue for the process's life; its semaphore never makes a wait handle, so there is nothing to dispose.
internal sealed class ArrivalOrder(int maxApplying)
#pragma warning restore CA1001
{
    private static readonly ConcurrentDictionary<string, ArrivalOrder> ByQueue = new();
    private readonly Dictionary<Guid, Task> _last = [];
    private readonly SemaphoreSlim _applying = new(maxApplying);

    public static ArrivalOrder Of(string queue, int maxApplying) => ByQueue.GetOrAdd(queue, _ => new ArrivalOrder(maxApplying));

    /// <summary>Runs each apply once the apply of its account handed over before it has ended (however it ended).</summary>
    public Task RunAsync(IReadOnlyList<(Guid Account, Func<Task> Apply)> applies)
    {
        var turns = new (Task? Before, TaskCompletionSource Done)[applies.Count];
        lock (_last)
        {
            for (var i = 0; i < applies.Count; i++)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                turns[i] = (_last.GetValueOrDefault(applies[i].Account), done);
                _last[applies[i].Account] = done.Task;
            }
        }
        var running = new Task[applies.Count];
        for (var i = 0; i < applies.Count; i++)
            running[i] = RunInTurnAsync(applies[i].Account, turns[i].Before, turns[i].Done, applies[i].Apply);
        return Task.WhenAll(running);
    }

    private async Task RunInTurnAsync(Guid account, Task? before, TaskCompletionSource done, Func<Task> apply)
    {
        try
        {
            if (before is not null)
                await before;
            await _applying.WaitAsync();
            try
            {
                await apply();
            }
            finally
            {
                _applying.Release();
            }
        }
        finally
        {
            lock (_last)
            {
                if (_last.TryGetValue(account, out var last) && last == done.Task)
                    _last.Remove(account);
            }
            done.SetResult();
        }
    }
}
