using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace ServiceDefaults.Sqlite;

/// <summary>
/// The writer of one SQLite file: writes queue up while a transaction commits and go together into the next one. One loop
/// takes everything queued (at most <see cref="MaxBatch"/>), runs it in one immediate transaction, each write inside its
/// own savepoint (released on success, rolled back on its exception, which goes to that caller only), commits once, calls
/// the after-commit hook, then completes every caller. A failed commit fails every write of its batch. Writes of one batch
/// see the effects of the earlier ones (same connection, same transaction), so they behave as if run one after another.
/// </summary>
internal sealed class SqliteGroupCommit : IAsyncDisposable
{
    public const int MaxBatch = 256;

    private readonly SqliteConnection _connection;
    private readonly SqliteStatements _statements;
    private readonly Action? _afterCommit;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    /// <param name="statements">The prepared statements of <paramref name="connection"/>: only this loop uses them.</param>
    public SqliteGroupCommit(SqliteConnection connection, SqliteStatements statements, Action? afterCommit)
    {
        _connection = connection;
        _statements = statements;
        _afterCommit = afterCommit;
        _loop = Task.Run(RunAsync);
    }

    public Task<T> EnqueueAsync<T>(Func<SqliteStatements, T> write, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite<T>(write, cancellationToken);
        return _queue.Writer.TryWrite(pending)
            ? pending.Task
            : Task.FromException<T>(new ObjectDisposedException(nameof(SqliteDatabase)));
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    if (pending.TryStart())
                    {
                        batch.Add(pending);
                    }
                }
                if (batch.Count > 0)
                {
                    Commit(batch);
                }
            }
        }
        finally
        {
            // Only a throwing after-commit hook ends the loop early: nothing waits forever, and disposing rethrows it.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var pending))
            {
                pending.Aborted(new ObjectDisposedException(nameof(SqliteDatabase)));
            }
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        try
        {
            using (var transaction = _connection.BeginTransaction(deferred: false))
            {
                _statements.Transaction = transaction;
                foreach (var pending in batch)
                {
                    Run(pending);
                }
                transaction.Commit();
            }
        }
        catch (Exception e)
        {
            batch.ForEach(pending => pending.Aborted(e));
            return;
        }
        finally
        {
            _statements.Transaction = null;
        }
        try
        {
            _afterCommit?.Invoke();
        }
        finally
        {
            batch.ForEach(pending => pending.Committed());
        }
    }

    /// <summary>The write in its own savepoint (statements of their own, so they stay prepared too).</summary>
    private void Run(PendingWrite pending)
    {
        _statements.For("SAVEPOINT write").ExecuteNonQuery();
        try
        {
            pending.Run(_statements);
        }
        catch (Exception e)
        {
            pending.Failed(e);
            _statements.For("ROLLBACK TO write").ExecuteNonQuery(); // a failure here (the transaction itself is gone) aborts the batch
        }
        _statements.For("RELEASE write").ExecuteNonQuery();
    }

    /// <summary>Takes no more writes, lets the queued ones commit, and returns when the loop is done.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
    }
}
