namespace ServiceDefaults.Sqlite;

/// <summary>
/// One write waiting for a group commit: its function, and the task its caller awaits. It runs at most once, after it was
/// claimed (<see cref="TryStart"/>); a cancellation that comes first removes it. Its result or its own exception is held
/// until the batch's commit decides, then given to the caller.
/// </summary>
internal abstract class PendingWrite
{
    private const int Queued = 0, Started = 1, Cancelled = 2;
    private int _state;

    /// <summary>Claims the write for a batch; false when its caller cancelled it first.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

    protected bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;

    /// <summary>Runs the write with the statements of the batch's transaction, keeping its result.</summary>
    public abstract void Run(SqliteStatements statements);

    /// <summary>The write's own failure: only this caller gets it, once the batch is over.</summary>
    public abstract void Failed(Exception exception);

    /// <summary>The batch committed: the caller gets its result (or its own failure).</summary>
    public abstract void Committed();

    /// <summary>The batch did not commit: the caller gets <paramref name="exception"/> unless its write already failed on its own.</summary>
    public abstract void Aborted(Exception exception);
}

internal sealed class PendingWrite<T> : PendingWrite
{
    private readonly Func<SqliteStatements, T> _write;
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _cancellation;
    private T? _result;
    private Exception? _failure;

    public PendingWrite(Func<SqliteStatements, T> write, CancellationToken cancellationToken)
    {
        _write = write;
        _cancellation = cancellationToken.Register(() =>
        {
            if (TryCancel())
            {
                _done.TrySetCanceled(cancellationToken);
            }
        });
    }

    public Task<T> Task => _done.Task;

    public override void Run(SqliteStatements statements) => _result = _write(statements);

    public override void Failed(Exception exception) => _failure = exception;

    public override void Committed()
    {
        _cancellation.Dispose();
        if (_failure is null)
        {
            _done.TrySetResult(_result!);
        }
        else
        {
            _done.TrySetException(_failure);
        }
    }

    public override void Aborted(Exception exception)
    {
        _cancellation.Dispose();
        _done.TrySetException(_failure ?? exception);
    }
}
