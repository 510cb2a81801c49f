using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using ServiceDefaults;
using ServiceDefaults.Sqlite;

namespace EventStore.Sqlite;

/// <summary>
/// The embedded event store: one SQLite file (see <see cref="SqliteDatabase"/>). The position column is the global log
/// (AUTOINCREMENT, never reused); (stream, revision) is unique. Appends go through the one writer connection in group
/// commits (each checks its stream's expected revision against every write before it, committed or in the same batch),
/// so positions become visible in order and a follower never skips one. Commits are durable against a power cut
/// (<see cref="SqliteDurability.Full"/>). Followers take what this process appended from memory once it committed
/// (<see cref="RecentAppends"/>), read the file when that has a hole or they fell behind, and fall back to a slow poll
/// for writers in other processes.
/// </summary>
public sealed partial class SqliteEventStore : IEventStore, IAsyncDisposable
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
    private readonly RecentAppends _recent = new(4 * FollowPageSize);

    public SqliteEventStore(string path) => _database = new SqliteDatabase(path, Schema, SqliteDurability.Full);

    public async Task<AppendResult> AppendAsync(
        string stream, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        if (events.Count == 0)
        {
            throw new ArgumentException("Nothing to append.", nameof(events));
        }
        // Once claimed for a commit a write is not cancelled: every committed append of this process gets here.
        var (result, appended) = await _database.WriteAsync(statements => Append(statements, stream, expected, events), cancellationToken);
        if (appended)
        {
            _recent.Add(stream, result, events);
        }
        return result;
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
        var readFile = true;
        while (true)
        {
            var appended = _recent.Next;
            var recent = readFile ? null : _recent.After(after, FollowPageSize);
            var page = recent ?? await ReadAllAsync(after, FollowPageSize, streamPrefix, cancellationToken);
            foreach (var stored in page)
            {
                if (recent is null || streamPrefix is null || stored.Stream.StartsWith(streamPrefix, StringComparison.Ordinal))
                {
                    yield return stored;
                }
                after = stored.Position;
            }
            readFile = recent is null && page.Count == FollowPageSize;
            if (page.Count == 0 || (recent is null && !readFile))
            {
                readFile = !await appended.CompletesWithinAsync(FallbackPoll, TimeProvider.System, cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static StoredEvent ReadEvent(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), (ulong)reader.GetInt64(2), Guid.Parse(reader.GetString(3)),
        reader.GetString(4), (byte[])reader[5], EventMetadataJson.Deserialize((byte[])reader[6]));
}
