namespace EventStore.Sqlite;

/// <summary>
/// Wakes the followers of the log in this process once per commit that appended, after it: an append marks its batch on
/// the writer, the writer's after-commit hook completes the signal (a failed commit only leaves one spurious wake).
/// Take <see cref="Next"/> before reading, so an append committed between the read and the wait still wakes.
/// </summary>
internal sealed class AppendSignal
{
    private TaskCompletionSource _next = New();
    private int _appendedInBatch;

    public Task Next => Volatile.Read(ref _next).Task;

    public void Appended() => Volatile.Write(ref _appendedInBatch, 1);

    public void Committed()
    {
        if (Interlocked.Exchange(ref _appendedInBatch, 0) == 1)
        {
            Interlocked.Exchange(ref _next, New()).TrySetResult();
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
