using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace EventStore.Sqlite;

/// <summary>
/// The embedded event store: one SQLite file in WAL mode. The position column is the global log (AUTOINCREMENT, never
/// reused); (stream, revision) is unique. Appends are serialized through one writer connection, so positions become
/// visible in order and a follower never skips one. Followers are woken by appends in this process and fall back to a
/// slow poll for writers in other processes.
/// </summary>
public sealed class SqliteEventStore : IEventStore, ICheckpointStore, IAsyncDisposable
{
    private const int FollowPageSize = 512;
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(1);

    private const string Columns = "stream_id, revision, position, event_id, event_type, data, metadata";

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private TaskCompletionSource _appended = NewSignal();

    public SqliteEventStore(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS events (
                position   INTEGER PRIMARY KEY AUTOINCREMENT,
                stream_id  TEXT    NOT NULL,
                revision   INTEGER NOT NULL,
                event_id   TEXT    NOT NULL UNIQUE,
                event_type TEXT    NOT NULL,
                data       BLOB    NOT NULL,
                metadata   BLOB    NOT NULL,
                UNIQUE (stream_id, revision));
            CREATE TABLE IF NOT EXISTS checkpoints (
                name     TEXT PRIMARY KEY,
                position INTEGER NOT NULL);
            """);
    }

    public async Task<AppendResult> AppendAsync(
        string stream, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        if (events.Count == 0)
        {
            throw new ArgumentException("Nothing to append.", nameof(events));
        }
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var result = Append(stream, expected, events);
            if (result.Appended)
            {
                Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
            }
            return result.Result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private (AppendResult Result, bool Appended) Append(string stream, ExpectedRevision expected, IReadOnlyList<EventData> events)
    {
        using var transaction = _writer.BeginTransaction(deferred: false);
        var current = CurrentRevision(stream, transaction);
        if (FindAppended(stream, events, transaction) is { } earlier)
        {
            return (earlier, false);
        }
        if (!expected.IsSatisfiedBy(current))
        {
            throw new WrongExpectedRevisionException(stream, expected, current);
        }
        using var insert = _writer.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO events (stream_id, revision, event_id, event_type, data, metadata)
            VALUES ($stream, $revision, $id, $type, $data, $metadata) RETURNING position
            """;
        var revision = current ?? -1;
        var position = 0L;
        foreach (var e in events)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$stream", stream);
            insert.Parameters.AddWithValue("$revision", ++revision);
            insert.Parameters.AddWithValue("$id", e.EventId.ToString());
            insert.Parameters.AddWithValue("$type", e.EventType);
            insert.Parameters.AddWithValue("$data", e.Data.ToArray());
            insert.Parameters.AddWithValue("$metadata", EventMetadataJson.Serialize(e.Metadata));
            position = (long)insert.ExecuteScalar()!;
        }
        transaction.Commit();
        return (new AppendResult(revision, (ulong)position), true);
    }

    private long? CurrentRevision(string stream, SqliteTransaction transaction)
    {
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT MAX(revision) FROM events WHERE stream_id = $stream";
        command.Parameters.AddWithValue("$stream", stream);
        return command.ExecuteScalar() is long revision ? revision : null;
    }

    /// <summary>A retried append whose events are already stored (same ids, same stream) answers as the first did.</summary>
    private AppendResult? FindAppended(string stream, IReadOnlyList<EventData> events, SqliteTransaction transaction)
    {
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT stream_id, revision, position FROM events WHERE event_id = $id";
        command.Parameters.AddWithValue("$id", events[^1].EventId.ToString());
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        return reader.GetString(0) == stream
            ? new AppendResult(reader.GetInt64(1), (ulong)reader.GetInt64(2))
            : throw new InvalidOperationException($"Event {events[^1].EventId} is already stored in another stream.");
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
        string stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM events WHERE stream_id = $stream AND revision >= $from
            ORDER BY revision LIMIT $max
            """;
        command.Parameters.AddWithValue("$stream", stream);
        command.Parameters.AddWithValue("$from", fromRevision);
        command.Parameters.AddWithValue("$max", maxCount);
        return await ReadEventsAsync(command, cancellationToken);
    }

    public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(ulong? after, int maxCount, CancellationToken cancellationToken = default) =>
        ReadAllAsync(after, maxCount, null, cancellationToken);

    private async Task<IReadOnlyList<StoredEvent>> ReadAllAsync(ulong? after, int maxCount, string? streamPrefix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM events
            WHERE position > $after AND ($prefix IS NULL OR substr(stream_id, 1, length($prefix)) = $prefix)
            ORDER BY position LIMIT $max
            """;
        command.Parameters.AddWithValue("$after", (long)(after ?? 0));
        command.Parameters.AddWithValue("$prefix", (object?)streamPrefix ?? DBNull.Value);
        command.Parameters.AddWithValue("$max", maxCount);
        return await ReadEventsAsync(command, cancellationToken);
    }

    public async IAsyncEnumerable<StoredEvent> FollowAllAsync(
        ulong? after, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var appended = Volatile.Read(ref _appended).Task;
            var page = await ReadAllAsync(after, FollowPageSize, streamPrefix, cancellationToken);
            foreach (var stored in page)
            {
                yield return stored;
                after = stored.Position;
            }
            if (page.Count < FollowPageSize)
            {
                await Task.WhenAny(appended, Task.Delay(FallbackPoll, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    public async Task<ulong?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position FROM checkpoints WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken) is long position ? (ulong)position : null;
    }

    /// <summary>Through the writer connection, like appends: a second writer would only meet them as "database busy".</summary>
    public async Task StoreCheckpointAsync(string name, ulong position, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var command = _writer.CreateCommand();
            command.CommandText = """
                INSERT INTO checkpoints (name, position) VALUES ($name, $position)
                ON CONFLICT (name) DO UPDATE SET position = excluded.position
                """;
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$position", (long)position);
            command.ExecuteNonQuery();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _writeLock.Dispose();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredEvent(
                reader.GetString(0),
                reader.GetInt64(1),
                (ulong)reader.GetInt64(2),
                Guid.Parse(reader.GetString(3)),
                reader.GetString(4),
                (byte[])reader[5],
                EventMetadataJson.Deserialize((byte[])reader[6])));
        }
        return events;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
