using Microsoft.Data.Sqlite;

namespace ServiceDefaults.Sqlite;

/// <summary>
/// One embedded SQLite file as the stores use it (the event store, the views, the notification log): the folder is
/// created, the file runs in WAL mode with synchronous=NORMAL (a commit survives a crash of the process; a power loss may
/// lose the last commits, never the file), and the store's schema is applied once. Every write goes through
/// <see cref="WriteAsync{T}"/>: one long-lived writer connection, one immediate transaction at a time behind an async lock,
/// so concurrent writers wait without holding a thread instead of sleeping in SQLite's busy handler. Reads use pooled
/// connections (WAL readers never block the writer). Another process writing the same file is rare and covered by the
/// busy timeout. Disposing releases the file (the pooled connections too).
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    private const string Pragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        """;

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <param name="path">The file; its folder is created when missing.</param>
    /// <param name="schema">The store's tables and indexes (<c>CREATE … IF NOT EXISTS</c>), run on every open.</param>
    public SqliteDatabase(string path, string schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        using var command = _writer.CreateCommand();
        command.CommandText = Pragmas + schema;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="write"/> in an immediate transaction on the writer connection, one write at a time, commits
    /// and returns its result. The command it is given belongs to that transaction; it may be reused for several
    /// statements (set its text, clear its parameters). An exception rolls the whole write back.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteCommand, T> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            using var command = _writer.CreateCommand();
            command.Transaction = transaction;
            var result = write(command);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes with one statement (through <see cref="WriteAsync{T}"/>); true when it changed exactly one row.</summary>
    public Task<bool> WriteRowAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        ArgumentNullException.ThrowIfNull(bind);
        return WriteAsync(command =>
        {
            command.CommandText = sql;
            bind(command);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="read"/> with a command on a pooled connection of its own.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteCommand, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        return await read(command, cancellationToken);
    }

    /// <summary>The rows of the query <paramref name="prepare"/> sets up, each read by <paramref name="row"/>.</summary>
    public Task<IReadOnlyList<T>> ReadRowsAsync<T>(
        Action<SqliteCommand> prepare, Func<SqliteDataReader, T> row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(row);
        return ReadAsync<IReadOnlyList<T>>(async (command, token) =>
        {
            prepare(command);
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                rows.Add(row(reader));
            }
            return rows;
        }, cancellationToken);
    }

    /// <summary>The first row of the query <paramref name="prepare"/> sets up, read by <paramref name="row"/>; default when there is none.</summary>
    public async Task<T?> ReadFirstAsync<T>(Action<SqliteCommand> prepare, Func<SqliteDataReader, T> row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(row);
        return await ReadAsync(async (command, token) =>
        {
            prepare(command);
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token) ? row(reader) : default;
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearPool(_writer);
        await _writer.DisposeAsync();
        _writeLock.Dispose();
    }

    public void Dispose()
    {
        SqliteConnection.ClearPool(_writer);
        _writer.Dispose();
        _writeLock.Dispose();
    }
}
