using Microsoft.Data.Sqlite;

namespace ServiceDefaults.Sqlite;

/// <summary>
/// One embedded SQLite file as the stores use it (the event store, the views, the notification log): the folder is
/// created, the file runs in WAL mode with the <see cref="SqliteDurability"/> its store chose, and the store's schema is
/// applied once. Every write goes through <see cref="WriteAsync{T}"/>: one long-lived writer connection and group commit
/// (writes that arrive while a transaction commits go together into the next one, each in its own savepoint, so one
/// write's failure never fails another; see <see cref="SqliteGroupCommit"/>). Concurrent writers wait without holding a
/// thread, and a batch costs one commit (one fsync under <see cref="SqliteDurability.Full"/>). Reads use a few open
/// connections of their own (<see cref="SqliteReaders"/>; WAL readers never block the writer). Every connection keeps
/// its statements prepared across calls (<see cref="SqliteStatements"/>: a caller asks for the command of a SQL text).
/// Another process writing the same file is rare and covered by the busy timeout. Disposing lets the queued writes
/// commit, then releases the file (the read connections too).
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    private readonly SqliteStatements _writer;
    private readonly SqliteReaders _readers;
    private readonly SqliteGroupCommit _groupCommit;

    /// <param name="path">The file; its folder is created when missing.</param>
    /// <param name="schema">The store's tables and indexes (<c>CREATE … IF NOT EXISTS</c>), run on every open.</param>
    /// <param name="durability">Whether a commit must survive a power cut (<c>synchronous=FULL</c>) or a process crash (<c>NORMAL</c>).</param>
    /// <param name="afterCommit">
    /// Called on the writer after each commit, before the batch's callers resume (never before the data is committed):
    /// where a store signals waiters once per commit. It must not throw; if it does, the writer stops and disposing rethrows.
    /// </param>
    public SqliteDatabase(string path, string schema, SqliteDurability durability = SqliteDurability.Normal, Action? afterCommit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        // Not pooled: this database holds its connections open itself, with their prepared statements.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        var writer = new SqliteConnection(connectionString);
        writer.Open();
        using (var command = writer.CreateCommand())
        {
            var synchronous = durability == SqliteDurability.Full ? "FULL" : "NORMAL";
            command.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};" + schema;
            command.ExecuteNonQuery();
        }
        _writer = new SqliteStatements(writer);
        _readers = new SqliteReaders(connectionString);
        _groupCommit = new SqliteGroupCommit(writer, _writer, afterCommit);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in the next group commit on the writer connection and returns its result once that
    /// transaction committed. The commands it asks for (<see cref="SqliteStatements.For"/>) belong to that transaction.
    /// It sees every write committed or run before it; an exception rolls back this write only (its savepoint) and is
    /// thrown to this caller; a failed commit is thrown to every write of the batch. Cancelling before the write started
    /// removes it.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteStatements, T> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return _groupCommit.EnqueueAsync(write, cancellationToken);
    }

    /// <summary>Writes with one statement (through <see cref="WriteAsync{T}"/>); true when it changed exactly one row.</summary>
    public Task<bool> WriteRowAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        ArgumentNullException.ThrowIfNull(bind);
        return WriteAsync(statements =>
        {
            var command = statements.For(sql);
            bind(command);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="read"/> on a read connection that no other read uses meanwhile (autocommit, no transaction).</summary>
    public Task<T> ReadAsync<T>(Func<SqliteStatements, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        return _readers.ReadAsync(read, cancellationToken);
    }

    /// <summary>The rows of the query <paramref name="sql"/> with the parameters <paramref name="bind"/> adds, each read by <paramref name="row"/>.</summary>
    public Task<IReadOnlyList<T>> ReadRowsAsync<T>(
        string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> row, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(row);
        return ReadAsync<IReadOnlyList<T>>(async (statements, token) =>
        {
            var command = statements.For(sql);
            bind(command);
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                rows.Add(row(reader));
            }
            return rows;
        }, cancellationToken);
    }

    /// <summary>The first row of the query <paramref name="sql"/> with the parameters <paramref name="bind"/> adds, read by <paramref name="row"/>; default when there is none.</summary>
    public async Task<T?> ReadFirstAsync<T>(
        string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> row, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(row);
        return await ReadAsync(async (statements, token) =>
        {
            var command = statements.For(sql);
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token) ? row(reader) : default;
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _groupCommit.DisposeAsync();
        }
        finally
        {
            _readers.Dispose();
            _writer.Dispose();
        }
    }

    public void Dispose()
    {
        try
        {
            _groupCommit.Dispose();
        }
        finally
        {
            _readers.Dispose();
            _writer.Dispose();
        }
    }
}
