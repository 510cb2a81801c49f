using Microsoft.Data.Sqlite;
using QueryService.Views;
using ServiceDefaults.Sqlite;

namespace QueryService.Infrastructure.Sqlite;

/// <summary>
/// The embedded view store: one SQLite file (see <see cref="SqliteDatabase"/>; several processes may share it).
/// Registration inserts only when no row exists; every later write is an UPDATE conditioned on the previous version.
/// Times are Unix milliseconds. Commits use <see cref="SqliteDurability.Normal"/>: the views are a copy of the event
/// log, so a power cut that loses their last commits is healed by gap repair or a rebuild (see the README's storage notes).
/// </summary>
public sealed class SqliteUserViewStore : IUserViewStore, IAsyncDisposable, IDisposable
{
    public const string TableName = "user_profiles";

    private const string Columns = "id, email, display_name, status, version, registered_at, updated_at";

    // secure_delete: the bytes an erasure overwrites are zeroed, not left in free pages.
    private const string Schema = """
        PRAGMA secure_delete = ON;
        CREATE TABLE IF NOT EXISTS user_profiles (
            id            TEXT    PRIMARY KEY,
            email         TEXT    NOT NULL,
            email_key     TEXT    NOT NULL,
            display_name  TEXT    NOT NULL,
            name_key      TEXT    NOT NULL,
            status        TEXT    NOT NULL,
            version       INTEGER NOT NULL,
            registered_at INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS directory_by_name ON user_profiles (name_key, id);
        CREATE INDEX IF NOT EXISTS directory_by_status ON user_profiles (status, name_key, id);
        CREATE INDEX IF NOT EXISTS by_email_key ON user_profiles (email_key);
        """;

    private const string Register = """
        INSERT INTO user_profiles (id, email, email_key, display_name, name_key, status, version, registered_at, updated_at)
        VALUES ($id, $email, $emailKey, $name, $nameKey, $status, $version, $registeredAt, $updatedAt)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string Advance = """
        UPDATE user_profiles SET email = $email, email_key = $emailKey, display_name = $name, name_key = $nameKey,
            status = $status, version = $version, updated_at = $updatedAt
        WHERE id = $id AND version = $version - 1
        """;

    private readonly SqliteDatabase _database;

    public SqliteUserViewStore(string path) => _database = new SqliteDatabase(path, Schema);

    public Task<UserProfile?> FindAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _database.ReadFirstAsync(
            $"SELECT {Columns} FROM user_profiles WHERE id = $id", command => command.Parameters.AddWithValue("$id", userId.ToString()),
            Read, cancellationToken);

    /// <summary>Version 1 inserts the view unless it exists; a later version updates it only from the version before.</summary>
    public Task<bool> TryWriteAsync(UserProfile profile, CancellationToken cancellationToken = default) =>
        _database.WriteRowAsync(profile.Version == 1 ? Register : Advance, command =>
        {
            command.Parameters.AddWithValue("$id", profile.UserId.ToString());
            command.Parameters.AddWithValue("$email", profile.Email);
            command.Parameters.AddWithValue("$emailKey", profile.EmailKey);
            command.Parameters.AddWithValue("$name", profile.DisplayName);
            command.Parameters.AddWithValue("$nameKey", profile.NameKey);
            command.Parameters.AddWithValue("$status", UserStatusText.Of(profile.Status));
            command.Parameters.AddWithValue("$version", profile.Version);
            command.Parameters.AddWithValue("$registeredAt", profile.RegisteredAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$updatedAt", profile.UpdatedAt.ToUnixTimeMilliseconds());
        }, cancellationToken);

    public Task<IReadOnlyList<UserProfile>> SearchAsync(UserSearch search, CancellationToken cancellationToken = default)
    {
        var (sql, parameters) = SearchQuery(search);
        return _database.ReadRowsAsync(sql, command =>
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }
        }, Read, cancellationToken);
    }

    /// <summary>The search's query (one text per combination of filters, so each stays prepared) and its parameters.</summary>
    private static (string Sql, IReadOnlyList<(string Name, object Value)> Parameters) SearchQuery(UserSearch search)
    {
        var conditions = new List<string>();
        var parameters = new List<(string Name, object Value)>();
        if (search.Status is { } status)
        {
            conditions.Add("status = $status");
            parameters.Add(("$status", UserStatusText.Of(status)));
        }
        if (search.PrefixKey is { } prefix)
        {
            conditions.Add("((email_key >= $prefix AND email_key < $upper) OR (name_key >= $prefix AND name_key < $upper))");
            parameters.Add(("$prefix", prefix));
            parameters.Add(("$upper", SearchKey.UpperBoundOf(prefix)));
        }
        if (search.After is { } after)
        {
            conditions.Add("(name_key > $afterName OR (name_key = $afterName AND id > $afterId))");
            parameters.Add(("$afterName", after.NameKey));
            parameters.Add(("$afterId", after.UserId.ToString()));
        }
        if (search.Status is null)
        {
            conditions.Add($"status <> '{UserStatusText.Erased}'"); // erased views are tombstones, never listed
        }
        var where = "WHERE " + string.Join(" AND ", conditions);
        parameters.Add(("$limit", search.Limit));
        return ($"SELECT {Columns} FROM user_profiles {where} ORDER BY name_key, id LIMIT $limit", parameters);
    }

    public async Task<UserCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        var byStatus = await _database.ReadRowsAsync(
            "SELECT status, COUNT(*) FROM user_profiles GROUP BY status", _ => { },
            reader => (Status: UserStatusText.Parse(reader.GetString(0)), Count: reader.GetInt64(1)),
            cancellationToken);
        return new UserCounts(
            byStatus.Where(s => s.Status == UserStatus.Active).Sum(s => s.Count),
            byStatus.Where(s => s.Status == UserStatus.Deactivated).Sum(s => s.Count));
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    public void Dispose() => _database.Dispose();

    private static UserProfile Read(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), UserStatusText.Parse(reader.GetString(3)), reader.GetInt64(4),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));
}
