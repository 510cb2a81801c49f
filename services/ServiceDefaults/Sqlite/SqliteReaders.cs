using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ServiceDefaults.Sqlite;

/// <summary>
/// The open read connections of one file, each with its <see cref="SqliteStatements"/>, so a read's statements stay
/// prepared for the next read. A read takes an idle connection (or opens one), and gives it back after; at most
/// <see cref="MaxIdle"/> wait idle, the rest are closed. WAL readers never block the writer, and a statement holds no
/// snapshot once its reader is disposed.
/// </summary>
internal sealed class SqliteReaders(string connectionString) : IDisposable
{
    private const int MaxIdle = 8;

    private readonly ConcurrentBag<SqliteStatements> _idle = [];
    private volatile bool _disposed;

    public async Task<T> ReadAsync<T>(Func<SqliteStatements, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var statements = _idle.TryTake(out var idle) ? idle : await OpenAsync(cancellationToken);
        try
        {
            return await read(statements, cancellationToken);
        }
        finally
        {
            GiveBack(statements);
        }
    }

    private async Task<SqliteStatements> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new SqliteStatements(connection);
    }

    private void GiveBack(SqliteStatements statements)
    {
        if (_disposed || _idle.Count >= MaxIdle)
        {
            statements.Dispose();
            return;
        }
        _idle.Add(statements);
        if (_disposed && _idle.TryTake(out var late)) // disposed meanwhile: do not leave it open
        {
            late.Dispose();
        }
    }

    /// <summary>Closes the idle connections; a read still running closes its own when it ends.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var statements))
        {
            statements.Dispose();
        }
    }
}
