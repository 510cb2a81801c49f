namespace EventStore.Sqlite;

/// <summary>
/// The tail of the log as this process appended it, so that followers take what was just committed from memory instead of
/// reading it back from the file. An append is added once its commit succeeded (a failed or rolled-back write never is),
/// and each addition wakes the followers (<see cref="Next"/>: take it before looking, so an addition in between still
/// wakes). Appends of one commit complete in any order, and writers in other processes leave holes: a follower takes only
/// the unbroken run after its position, and reads the file when a later position is here but the next one is not.
/// The oldest entries are dropped beyond <c>capacity</c>; a follower that fell that far behind reads the file.
/// </summary>
internal sealed class RecentAppends(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, StoredEvent> _byPosition = [];
    private readonly Queue<ulong> _oldestFirst = new();
    private ulong _highest;
    private TaskCompletionSource _next = New();

    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Keeps a committed append's events (<paramref name="last"/> is the result for the last of them).</summary>
    public void Add(string stream, AppendResult last, IReadOnlyList<EventData> events)
    {
        lock (_lock)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var behind = events.Count - 1 - i;
                var e = events[i];
                var stored = new StoredEvent(stream, last.Revision - behind, last.Position - (ulong)behind,
                    e.EventId, e.EventType, e.Data, e.Metadata);
                _byPosition[stored.Position] = stored;
                _oldestFirst.Enqueue(stored.Position);
                _highest = Math.Max(_highest, stored.Position);
            }
            while (_oldestFirst.Count > capacity)
            {
                _byPosition.Remove(_oldestFirst.Dequeue());
            }
        }
        Interlocked.Exchange(ref _next, New()).TrySetResult();
    }

    /// <summary>
    /// The unbroken run of events after <paramref name="after"/> (at most <paramref name="maxCount"/>); empty when nothing
    /// after it was appended here; null when something later was but not the next position (the file has to be read).
    /// </summary>
    public IReadOnlyList<StoredEvent>? After(ulong? after, int maxCount)
    {
        var position = (after ?? 0) + 1;
        lock (_lock)
        {
            if (_highest < position)
            {
                return [];
            }
            var run = new List<StoredEvent>();
            while (run.Count < maxCount && _byPosition.TryGetValue(position++, out var stored))
            {
                run.Add(stored);
            }
            return run.Count == 0 ? null : run;
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
