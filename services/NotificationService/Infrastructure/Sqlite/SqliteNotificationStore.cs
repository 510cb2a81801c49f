using Microsoft.Data.Sqlite;
using NotificationService.Notifications;
using ServiceDefaults.Sqlite;

namespace NotificationService.Infrastructure.Sqlite;

/// <summary>
/// The embedded notification log and contact records: one SQLite file (see <see cref="SqliteDatabase"/>; several
/// processes may share it). A claim reads the earliest due pending rows and pushes them out by the lease in one
/// immediate transaction, so two dispatchers never claim the same one; outcomes are recorded many per transaction.
/// Times are Unix milliseconds. Commits are durable against a power cut (<see cref="SqliteDurability.Full"/>): a lost
/// "sent" mark would send that e-mail again, a lost record (its message already acknowledged) would never send it.
/// </summary>
public sealed partial class SqliteNotificationStore : INotificationStore, IContactStore, IAsyncDisposable, IDisposable
{
    private const string Columns =
        "id, user_id, message_id, kind, recipient, subject, body, state, attempts, last_error, created_at, updated_at, due_at, sent_at, " +
        "trace_parent, trace_state";

    // secure_delete: the bytes an erasure overwrites are zeroed, not left in free pages.
    private const string Schema = """
        PRAGMA secure_delete = ON;
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
        """;

    private readonly SqliteDatabase _database;

    public SqliteNotificationStore(string path) => _database = new SqliteDatabase(path, Schema, SqliteDurability.Full);

    private const string InsertNotification = $"""
        INSERT INTO notifications ({Columns})
        VALUES ($id, $userId, $messageId, $kind, $recipient, $subject, $body, $state, $attempts, $lastError,
                $createdAt, $updatedAt, $dueAt, $sentAt, $traceParent, $traceState)
        ON CONFLICT (id) DO NOTHING
        """;

    public Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken = default) =>
        _database.WriteRowAsync(InsertNotification, command => BindNotification(command, notification), cancellationToken);

    private static void BindNotification(SqliteCommand command, Notification notification)
    {
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
    }

    public Task<Notification?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        _database.ReadFirstAsync(
            $"SELECT {Columns} FROM notifications WHERE id = $id", command => command.Parameters.AddWithValue("$id", id.ToString()),
            ReadNotification, cancellationToken);

    /// <summary>Reads the batch in due order and pushes it out by the lease, in one immediate transaction.</summary>
    public Task<IReadOnlyList<Notification>> ClaimDueAsync(
        DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        const string due = "FROM notifications WHERE state = 'pending' AND due_at <= $now ORDER BY due_at, id LIMIT $limit";
        return _database.WriteAsync<IReadOnlyList<Notification>>(statements =>
        {
            var claimed = new List<Notification>();
            using (var reader = Bind(statements.For($"SELECT {Columns} {due}")).ExecuteReader())
            {
                while (reader.Read())
                {
                    claimed.Add(ReadNotification(reader) with { DueAt = leaseUntil });
                }
            }
            Bind(statements.For($"UPDATE notifications SET due_at = $leaseUntil WHERE id IN (SELECT id {due})")).ExecuteNonQuery();
            return claimed;
        }, cancellationToken);

        SqliteCommand Bind(SqliteCommand command)
        {
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$limit", limit);
            command.Parameters.AddWithValue("$leaseUntil", leaseUntil.ToUnixTimeMilliseconds());
            return command;
        }
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default) =>
        _database.ReadAsync(async (statements, token) =>
            await statements.For("SELECT MIN(due_at) FROM notifications WHERE state = 'pending'").ExecuteScalarAsync(token) is long due
                ? Time(due) : (DateTimeOffset?)null,
            cancellationToken);

    /// <summary>All outcomes in one transaction, one conditioned UPDATE each.</summary>
    public Task<int> RecordOutcomesAsync(IReadOnlyCollection<DeliveryOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return outcomes.Count == 0 ? Task.FromResult(0) : _database.WriteAsync(statements =>
        {
            var recorded = 0;
            foreach (var outcome in outcomes)
            {
                var command = statements.For(outcome.State == NotificationState.Sent
                    ? "UPDATE notifications SET state = 'sent', attempts = $attempts, sent_at = $at, updated_at = $at WHERE id = $id AND state = 'pending'"
                    : """
                      UPDATE notifications SET state = $state, attempts = $attempts, last_error = COALESCE($error, last_error), due_at = $dueAt, updated_at = $at
                      WHERE id = $id AND state = 'pending'
                      """);
                command.Parameters.AddWithValue("$id", outcome.Id.ToString());
                command.Parameters.AddWithValue("$state", NotificationStateText.Of(outcome.State));
                command.Parameters.AddWithValue("$attempts", outcome.Attempts);
                command.Parameters.AddWithValue("$error", (object?)outcome.LastError ?? DBNull.Value);
                command.Parameters.AddWithValue("$dueAt", outcome.DueAt.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$at", outcome.At.ToUnixTimeMilliseconds());
                recorded += command.ExecuteNonQuery();
            }
            return recorded;
        }, cancellationToken);
    }

    public Task EraseUserAsync(Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(statements =>
        {
            var command = statements.For("""
                UPDATE notifications SET recipient = '', subject = '', body = '', last_error = NULL, updated_at = $at,
                    state = CASE state WHEN 'pending' THEN 'cancelled' ELSE state END
                WHERE user_id = $userId
                """);
            command.Parameters.AddWithValue("$userId", userId.ToString());
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<IReadOnlyList<Notification>> ForUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _database.ReadRowsAsync(
            $"SELECT {Columns} FROM notifications WHERE user_id = $userId ORDER BY created_at, id",
            command => command.Parameters.AddWithValue("$userId", userId.ToString()), ReadNotification, cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    public void Dispose() => _database.Dispose();

    private static Notification ReadNotification(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)), Guid.Parse(reader.GetString(1)), Guid.Parse(reader.GetString(2)),
        NotificationKindText.Parse(reader.GetString(3)), reader.GetString(4), reader.GetString(5), reader.GetString(6),
        NotificationStateText.Parse(reader.GetString(7)), reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9),
        Time(reader.GetInt64(10)), Time(reader.GetInt64(11)), Time(reader.GetInt64(12)),
        reader.IsDBNull(13) ? null : Time(reader.GetInt64(13)),
        reader.IsDBNull(14) ? null : reader.GetString(14), reader.IsDBNull(15) ? null : reader.GetString(15));

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
