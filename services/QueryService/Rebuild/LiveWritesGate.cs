namespace QueryService.Rebuild;

/// <summary>
/// Lets a rebuild hold live changes back for its last catch-up and the switch: every live apply enters (many at once);
/// <see cref="PauseAsync"/> stops new entries, waits for those inside to leave, and holds until disposed. So whatever the
/// served generation took before the pause is in the log before the rebuild's last read, and everything after it goes to
/// the new generation: no live change is lost at the switch.
/// </summary>
public sealed class LiveWritesGate : IDisposable
{
    private readonly SemaphoreSlim _entry = new(1, 1);
    private readonly Lock _lock = new();
    private int _inside;
    private TaskCompletionSource? _drained;

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _entry.WaitAsync(cancellationToken);
        lock (_lock)
        {
            _inside++;
        }
        _entry.Release();
        return new Lease(Leave);
    }

    public async Task<IDisposable> PauseAsync(CancellationToken cancellationToken)
    {
        await _entry.WaitAsync(cancellationToken);
        Task drained;
        lock (_lock)
        {
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inside == 0)
            {
                _drained.SetResult();
            }
            drained = _drained.Task;
        }
        try
        {
            await drained.WaitAsync(cancellationToken);
        }
        catch
        {
            _entry.Release();
            throw;
        }
        return new Lease(() => _entry.Release());
    }

    public void Dispose() => _entry.Dispose();

    private void Leave()
    {
        lock (_lock)
        {
            if (--_inside == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    private sealed class Lease(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }
        }
    }
}
