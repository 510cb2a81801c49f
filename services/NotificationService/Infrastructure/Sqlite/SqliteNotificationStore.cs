using Microsoft.Data.Sqlite;
using NotificationService.Notifications;

namespace NotificationService.Infrastructure.Sqlite;

/// <summary>
/// The embedded notification log and contact records: one SQLite file in WAL mode (several processes may share it).
/// A claim is a single UPDATE … RETURNING of the earliest due pending row, so two dispatchers never claim the same one.
/// Times are Unix milliseconds. Writes go through one long-lived writer connection, one at a time under an async lock, so
/// concurrent consumers wait without holding a thread instead of sleeping in SQLite's busy handler; reads use pooled
/// connections (WAL readers never block). Another process writing the same file is rare and covered by the busy timeout.
/// </summary>
public sealed class SqliteNotificationStore : INotificationStore, IContactStore, IAsyncDisposable, IDisposable
{
    private const string Columns =
        "id, user_id, message_id, kind, recipient, subject, body, state, attempts, last_error, created_at, updated_at, due_at, sent_at, " +
        "trace_parent, trace_state";

    /// <summary>Added after the first files were written; <see cref="AddMissingColumns"/> adds them to those.</summary>
    private static readonly string[] TraceColumns = ["trace_parent", "trace_state"];

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteNotificationStore(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _writer = Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS notifications (
                id         TEXT    PRIMARY KEY,
                user_id    TEXT    NOT NULL,
                message_id TEXT    NOT NULL,
                kind       TEXT    NOT NULL,
                recipient  TEXT    NOT NULL,
                subject    TEXT    NOT NULL,
                body       TEXT    NOT NULL,
                state      TEXT    NOT NULL,
                attempts   INTEGER NOT NULL,
                last_error TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                due_at     INTEGER NOT NULL,
                sent_at    INTEGER,
                trace_parent TEXT,
                trace_state  TEXT);
            CREATE INDEX IF NOT EXISTS notifications_by_user ON notifications (user_id, created_at, id);
            CREATE INDEX IF NOT EXISTS notifications_due ON notifications (state, due_at);
            CREATE TABLE IF NOT EXISTS contacts (
                user_id      TEXT    PRIMARY KEY,
                email        TEXT    NOT NULL,
                display_name TEXT    NOT NULL,
                version      INTEGER NOT NULL);
            """);
        AddMissingColumns();
    }

    /// <summary>Files written before notifications carried their trace context get the columns (empty for old rows).</summary>
    private void AddMissingColumns()
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        using (var command = _writer.CreateCommand())
        {
            command.CommandText = "SELECT name FROM pragma_table_info('notifications')";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                columns.Add(reader.GetString(0));
            }
        }
        foreach (var column in TraceColumns.Where(c => !columns.Contains(c)))
        {
            Execute($"ALTER TABLE notifications ADD COLUMN {column} TEXT");
        }
    }

    public Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken = default) =>
        WriteAsync(command => Add(command, notification), cancellationToken);

    private static bool Add(SqliteCommand command, Notification notification)
    {
        command.CommandText = $"""
            INSERT INTO notifications ({Columns})
            VALUES ($id, $userId, $messageId, $kind, $recipient, $subject, $body, $state, $attempts, $lastError,
                    $createdAt, $updatedAt, $dueAt, $sentAt, $traceParent, $traceState)
            ON CONFLICT (id) DO NOTHING
            """;
        command.Parameters.AddWithValue("$id", notification.Id.ToString());
        command.Parameters.AddWithValue("$userId", notification.UserId.ToString());
        command.Parameters.AddWithValue("$messageId", notification.MessageId.ToString());
        command.Parameters.AddWithValue("$kind", NotificationKindText.Of(notification.Kind));
        command.Parameters.AddWithValue("$recipient", notification.Recipient);
        command.Parameters.AddWithValue("$subject", notification.Subject);
        command.Parameters.AddWithValue("$body", notification.Body);
        command.Parameters.AddWithValue("$state", NotificationStateText.Of(notification.State));
        command.Parameters.AddWithValue("$attempts", notification.Attempts);
        command.Parameters.AddWithValue("$lastError", (object?)notification.LastError ?? DBNull.Value);
        command.Parameters.AddWithValue("$createdAt", notification.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$updatedAt", notification.UpdatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$dueAt", notification.DueAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$sentAt", (object?)notification.SentAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$traceParent", (object?)notification.TraceParent ?? DBNull.Value);
        command.Parameters.AddWithValue("$traceState", (object?)notification.TraceState ?? DBNull.Value);
        return command.ExecuteNonQuery() == 1;
    }

    public async Task<Notification?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM notifications WHERE id = $id";
        command.Parameters.AddWithValue("$id", id.ToString());
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    public Task<Notification?> ClaimNextDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        WriteAsync(command => ClaimNextDue(command, now, leaseUntil), cancellationToken);

    private static Notification? ClaimNextDue(SqliteCommand command, DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        command.CommandText = $"""
            UPDATE notifications SET due_at = $leaseUntil
            WHERE id = (SELECT id FROM notifications WHERE state = 'pending' AND due_at <= $now ORDER BY due_at, id LIMIT 1)
              AND state = 'pending' AND due_at <= $now
            RETURNING {Columns}
            """;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$leaseUntil", leaseUntil.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadNotification(reader) : null;
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(due_at) FROM notifications WHERE state = 'pending'";
        return await command.ExecuteScalarAsync(cancellationToken) is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : null;
    }

    public Task<bool> MarkSentAsync(Guid id, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteAsync(command => MarkSent(command, id, attempts, at), cancellationToken);

    private static bool MarkSent(SqliteCommand command, Guid id, int attempts, DateTimeOffset at)
    {
        command.CommandText = """
            UPDATE notifications SET state = 'sent', attempts = $attempts, sent_at = $at, updated_at = $at
            WHERE id = $id AND state = 'pending'
            """;
        command.Parameters.AddWithValue("$id", id.ToString());
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery() == 1;
    }

    public Task<bool> MarkAttemptFailedAsync(
        Guid id, int attempts, string lastError, DateTimeOffset? retryAt, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        WriteAsync(command => MarkAttemptFailed(command, id, attempts, lastError, retryAt, at), cancellationToken);

    private static bool MarkAttemptFailed(SqliteCommand command, Guid id, int attempts, string lastError, DateTimeOffset? retryAt, DateTimeOffset at)
    {
        command.CommandText = """
            UPDATE notifications SET state = $state, attempts = $attempts, last_error = $error, due_at = $dueAt, updated_at = $at
            WHERE id = $id AND state = 'pending'
            """;
        command.Parameters.AddWithValue("$id", id.ToString());
        command.Parameters.AddWithValue("$state", retryAt is null ? NotificationStateText.Failed : NotificationStateText.Pending);
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$error", lastError);
        command.Parameters.AddWithValue("$dueAt", (retryAt ?? at).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery() == 1;
    }

    public async Task<IReadOnlyList<Notification>> ForUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM notifications WHERE user_id = $userId ORDER BY created_at, id";
        command.Parameters.AddWithValue("$userId", userId.ToString());
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<Contact?> FindContactAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT email, display_name, version FROM contacts WHERE user_id = $userId";
        command.Parameters.AddWithValue("$userId", userId.ToString());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Contact(userId, reader.GetString(0), reader.GetString(1), reader.GetInt64(2))
            : null;
    }

    public Task<bool> TryWriteContactAsync(Contact contact, CancellationToken cancellationToken = default) =>
        WriteAsync(command => TryWriteContact(command, contact), cancellationToken);

    private static bool TryWriteContact(SqliteCommand command, Contact contact)
    {
        command.CommandText = contact.Version == 1
            ? """
              INSERT INTO contacts (user_id, email, display_name, version) VALUES ($userId, $email, $name, $version)
              ON CONFLICT (user_id) DO NOTHING
              """
            : """
              UPDATE contacts SET email = $email, display_name = $name, version = $version
              WHERE user_id = $userId AND version = $version - 1
              """;
        command.Parameters.AddWithValue("$userId", contact.UserId.ToString());
        command.Parameters.AddWithValue("$email", contact.Email);
        command.Parameters.AddWithValue("$name", contact.DisplayName);
        command.Parameters.AddWithValue("$version", contact.Version);
        return command.ExecuteNonQuery() == 1;
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _writeLock.Dispose();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>Runs one write in an immediate transaction on the writer connection, one write at a time.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteCommand, T> write, CancellationToken cancellationToken)
    {
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

    private void Execute(string sql)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static async Task<List<Notification>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var notifications = new List<Notification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notifications.Add(ReadNotification(reader));
        }
        return notifications;
    }

    private static Notification ReadNotification(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)), Guid.Parse(reader.GetString(1)), Guid.Parse(reader.GetString(2)),
        NotificationKindText.Parse(reader.GetString(3)), reader.GetString(4), reader.GetString(5), reader.GetString(6),
        NotificationStateText.Parse(reader.GetString(7)), reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9),
        Time(reader.GetInt64(10)), Time(reader.GetInt64(11)), Time(reader.GetInt64(12)),
        reader.IsDBNull(13) ? null : Time(reader.GetInt64(13)),
        reader.IsDBNull(14) ? null : reader.GetString(14), reader.IsDBNull(15) ? null : reader.GetString(15));

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
