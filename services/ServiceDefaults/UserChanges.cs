namespace ServiceDefaults;

/// <summary>
/// In-process signal that what a service keeps of a user changed (the query view, the notifications), so read-your-writes
/// waiters wake at once instead of polling the store. Watch first, then read the store, then await: a change between the
/// read and the await still wakes the waiter.
/// </summary>
public sealed class UserChanges
{
    private readonly Dictionary<Guid, List<TaskCompletionSource>> _waiters = [];
    private readonly Lock _lock = new();

    public Watcher Watch(Guid userId)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (!_waiters.TryGetValue(userId, out var list))
            {
                _waiters[userId] = list = [];
            }
            list.Add(signal);
        }
        return new Watcher(this, userId, signal);
    }

    /// <summary>Whether someone waits for a change of this user now.</summary>
    public bool IsWatched(Guid userId)
    {
        lock (_lock)
        {
            return _waiters.ContainsKey(userId);
        }
    }

    public void Changed(Guid userId)
    {
        List<TaskCompletionSource>? woken;
        lock (_lock)
        {
            _waiters.Remove(userId, out woken);
        }
        woken?.ForEach(signal => signal.TrySetResult());
    }

    /// <summary>
    /// Reads until <paramref name="reached"/> holds or <paramref name="timeout"/> passed: woken by <see cref="Changed"/> in
    /// this process, and polled every <paramref name="poll"/> for what other instances write. Returns the last read.
    /// </summary>
    public async Task<(T Value, bool Reached)> WaitForAsync<T>(
        Guid userId, Func<CancellationToken, Task<T>> read, Func<T, bool> reached, TimeSpan timeout, TimeSpan poll, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(reached);
        ArgumentNullException.ThrowIfNull(time);
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            using var watcher = Watch(userId);
            var value = await read(cancellationToken);
            if (reached(value))
            {
                return (value, true);
            }
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return (value, false);
            }
            // Woken or not, read again: a change made by another instance wakes no one here.
            await watcher.Changed.CompletesWithinAsync(remaining < poll ? remaining : poll, time, cancellationToken);
        }
    }

    private void Forget(Guid userId, TaskCompletionSource signal)
    {
        lock (_lock)
        {
            if (_waiters.TryGetValue(userId, out var list) && list.Remove(signal) && list.Count == 0)
            {
                _waiters.Remove(userId);
            }
        }
    }

    /// <summary>One waiter's interest in one user; <see cref="Changed"/> completes when something of that user changes.</summary>
    public sealed class Watcher(UserChanges owner, Guid userId, TaskCompletionSource signal) : IDisposable
    {
        public Task Changed => signal.Task;

        public void Dispose() => owner.Forget(userId, signal);
    }
}
