using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using ServiceDefaults.Sqlite;

namespace EventStore.Sqlite;

/// <summary>
/// The embedded event store: one SQLite file (see <see cref="SqliteDatabase"/>). The position column is the global log
/// (AUTOINCREMENT, never reused); (stream, revision) is unique. Appends go through the one writer connection in group
/// commits (each checks its stream's expected revision against every write before it, committed or in the same batch),
/// so positions become visible in order and a follower never skips one. Commits are durable against a power cut
/// (<see cref="SqliteDurability.Full"/>). Followers are woken once per commit that appended (<see cref="AppendSignal"/>)
/// and fall back to a slow poll for writers in other processes.
/// </summary>
public sealed class SqliteEventStore : IEventStore, ICheckpointStore, IAsyncDisposable
{
    private const int FollowPageSize = 512;
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(1);

    private const string Columns = "stream_id, revision, position, event_id, event_type, data, metadata";

    private const string Schema = """
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
        """;

    private readonly SqliteDatabase _database;
    private readonly AppendSignal _appends = new();

    public SqliteEventStore(string path) => _database = new SqliteDatabase(path, Schema, SqliteDurability.Full, _appends.Committed);

    public async Task<AppendResult> AppendAsync(
        string stream, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        if (events.Count == 0)
        {
            throw new ArgumentException("Nothing to append.", nameof(events));
        }
        return await _database.WriteAsync(statements =>
        {
            var (result, appended) = Append(statements, stream, expected, events);
            if (appended)
            {
                _appends.Appended();
            }
            return result;
        }, cancellationToken);
    }

    private static (AppendResult Result, bool Appended) Append(
        SqliteStatements statements, string stream, ExpectedRevision expected, IReadOnlyList<EventData> events)
    {
        var current = CurrentRevision(statements, stream);
        if (FindAppended(statements, stream, events) is { } earlier)
        {
            return (earlier, false);
        }
        if (!expected.IsSatisfiedBy(current))
        {
            throw new WrongExpectedRevisionException(stream, expected, current);
        }
        var revision = current ?? -1;
        var position = 0L;
        foreach (var e in events)
        {
            var command = statements.For("""
                INSERT INTO events (stream_id, revision, event_id, event_type, data, metadata)
                VALUES ($stream, $revision, $id, $type, $data, $metadata) RETURNING position
                """);
            command.Parameters.AddWithValue("$stream", stream);
            command.Parameters.AddWithValue("$revision", ++revision);
            command.Parameters.AddWithValue("$id", e.EventId.ToString());
            command.Parameters.AddWithValue("$type", e.EventType);
            command.Parameters.AddWithValue("$data", e.Data.ToArray());
            command.Parameters.AddWithValue("$metadata", EventMetadataJson.Serialize(e.Metadata));
            position = (long)command.ExecuteScalar()!;
        }
        return (new AppendResult(revision, (ulong)position), true);
    }

    private static long? CurrentRevision(SqliteStatements statements, string stream)
    {
        var command = statements.For("SELECT MAX(revision) FROM events WHERE stream_id = $stream");
        command.Parameters.AddWithValue("$stream", stream);
        return command.ExecuteScalar() is long revision ? revision : null;
    }

    /// <summary>A retried append whose events are already stored (same ids, same stream) answers as the first did.</summary>
    private static AppendResult? FindAppended(SqliteStatements statements, string stream, IReadOnlyList<EventData> events)
    {
        var command = statements.For("SELECT stream_id, revision, position FROM events WHERE event_id = $id");
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

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(
        string stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
        _database.ReadRowsAsync($"""
            SELECT {Columns} FROM events WHERE stream_id = $stream AND revision >= $from
            ORDER BY revision LIMIT $max
            """, command =>
        {
            command.Parameters.AddWithValue("$stream", stream);
            command.Parameters.AddWithValue("$from", fromRevision);
            command.Parameters.AddWithValue("$max", maxCount);
        }, ReadEvent, cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(ulong? after, int maxCount, CancellationToken cancellationToken = default) =>
        ReadAllAsync(after, maxCount, null, cancellationToken);

    private Task<IReadOnlyList<StoredEvent>> ReadAllAsync(ulong? after, int maxCount, string? streamPrefix, CancellationToken cancellationToken) =>
        _database.ReadRowsAsync($"""
            SELECT {Columns} FROM events
            WHERE position > $after AND ($prefix IS NULL OR substr(stream_id, 1, length($prefix)) = $prefix)
            ORDER BY position LIMIT $max
            """, command =>
        {
            command.Parameters.AddWithValue("$after", (long)(after ?? 0));
            command.Parameters.AddWithValue("$prefix", (object?)streamPrefix ?? DBNull.Value);
            command.Parameters.AddWithValue("$max", maxCount);
        }, ReadEvent, cancellationToken);

    public Task<ulong?> ReadHeadAsync(CancellationToken cancellationToken = default) => _database.ReadAsync(async (statements, token) =>
        await statements.For("SELECT MAX(position) FROM events").ExecuteScalarAsync(token) is long head ? (ulong?)head : null,
        cancellationToken);

    public async IAsyncEnumerable<StoredEvent> FollowAllAsync(
        ulong? after, string? streamPrefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var appended = _appends.Next;
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

    public Task<ulong?> LoadCheckpointAsync(string name, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(async (statements, token) =>
        {
            var command = statements.For("SELECT position FROM checkpoints WHERE name = $name");
            command.Parameters.AddWithValue("$name", name);
            return await command.ExecuteScalarAsync(token) is long position ? (ulong?)position : null;
        }, cancellationToken);

    /// <summary>Through the one writer, like appends: a second writer would only meet them as "database busy".</summary>
    public Task StoreCheckpointAsync(string name, ulong position, CancellationToken cancellationToken = default) =>
        _database.WriteRowAsync("""
            INSERT INTO checkpoints (name, position) VALUES ($name, $position)
            ON CONFLICT (name) DO UPDATE SET position = excluded.position
            """, command =>
        {
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$position", (long)position);
        }, cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static StoredEvent ReadEvent(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), (ulong)reader.GetInt64(2), Guid.Parse(reader.GetString(3)),
        reader.GetString(4), (byte[])reader[5], EventMetadataJson.Deserialize((byte[])reader[6]));
}
