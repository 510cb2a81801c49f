using System.Collections.Concurrent;

namespace Accounts.Messaging.Feed;

/// <summary>
/// Runs each account's applies one after another in the order they were handed over, different accounts' at once. One
/// per queue in a process: batches from one queue are handled concurrently (their writes share the store's commits),
/// and a queue delivers in publish order, so an account's messages are applied in that order. Holds only the accounts
/// with an apply in progress.
/// </summary>
internal sealed class ArrivalOrder
{
    private static readonly ConcurrentDictionary<string, ArrivalOrder> ByQueue = new();
    private readonly Dictionary<Guid, Task> _last = [];

    public static ArrivalOrder Of(string queue) => ByQueue.GetOrAdd(queue, _ => new ArrivalOrder());

    /// <summary>Runs <paramref name="apply"/> once the account's apply handed over before it has ended (however it ended).</summary>
    public async Task RunAsync(Guid account, Func<Task> apply)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? before;
        lock (_last)
        {
            _last.TryGetValue(account, out before);
            _last[account] = done.Task;
        }
        try
        {
            if (before is not null)
                await before;
            await apply();
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
