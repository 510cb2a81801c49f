namespace QueryService.Projection;

/// <summary>
/// In-process signal that a user's view changed, so read-your-writes waiters wake at once instead of polling the store.
/// Watch first, then read the store, then await: a change between the read and the await still wakes the waiter.
/// </summary>
public sealed class UserViewChanges
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

    public void Changed(Guid userId)
    {
        List<TaskCompletionSource>? woken;
        lock (_lock)
        {
            _waiters.Remove(userId, out woken);
        }
        woken?.ForEach(signal => signal.TrySetResult());
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

    /// <summary>One waiter's interest in one user; <see cref="Changed"/> completes when that user's view changes.</summary>
    public sealed class Watcher(UserViewChanges owner, Guid userId, TaskCompletionSource signal) : IDisposable
    {
        public Task Changed => signal.Task;

        public void Dispose() => owner.Forget(userId, signal);
    }
}
