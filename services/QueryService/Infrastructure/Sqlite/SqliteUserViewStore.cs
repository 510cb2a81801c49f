using Microsoft.Data.Sqlite;
using QueryService.Views;

namespace QueryService.Infrastructure.Sqlite;

/// <summary>
/// The embedded view store: one SQLite file in WAL mode (several processes may share it). Registration inserts only when
/// no row exists; every later write is an UPDATE conditioned on the previous version. Times are Unix milliseconds.
/// Writes go through one long-lived writer connection, one at a time under an async lock, so concurrent consumers wait
/// without holding a thread instead of sleeping in SQLite's busy handler; reads use pooled connections (WAL readers never
/// block). Another process writing the same file is rare and covered by the busy timeout.
/// </summary>
public sealed class SqliteUserViewStore : IUserViewStore, IAsyncDisposable, IDisposable
{
    public const string TableName = "user_profiles";

    private const string Columns = "id, email, display_name, status, version, registered_at, updated_at";

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteUserViewStore(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _writer = Open();
        using var command = _writer.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
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
        command.ExecuteNonQuery();
    }

    public async Task<UserProfile?> FindAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM user_profiles WHERE id = $id";
        command.Parameters.AddWithValue("$id", userId.ToString());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> TryWriteAsync(UserProfile profile, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return TryWrite(profile);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private bool TryWrite(UserProfile profile)
    {
        using var transaction = _writer.BeginTransaction(deferred: false);
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = profile.Version == 1
            ? """
              INSERT INTO user_profiles (id, email, email_key, display_name, name_key, status, version, registered_at, updated_at)
              VALUES ($id, $email, $emailKey, $name, $nameKey, $status, $version, $registeredAt, $updatedAt)
              ON CONFLICT (id) DO NOTHING
              """
            : """
              UPDATE user_profiles SET email = $email, email_key = $emailKey, display_name = $name, name_key = $nameKey,
                  status = $status, version = $version, updated_at = $updatedAt
              WHERE id = $id AND version = $version - 1
              """;
        command.Parameters.AddWithValue("$id", profile.UserId.ToString());
        command.Parameters.AddWithValue("$email", profile.Email);
        command.Parameters.AddWithValue("$emailKey", profile.EmailKey);
        command.Parameters.AddWithValue("$name", profile.DisplayName);
        command.Parameters.AddWithValue("$nameKey", profile.NameKey);
        command.Parameters.AddWithValue("$status", UserStatusText.Of(profile.Status));
        command.Parameters.AddWithValue("$version", profile.Version);
        command.Parameters.AddWithValue("$registeredAt", profile.RegisteredAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$updatedAt", profile.UpdatedAt.ToUnixTimeMilliseconds());
        var written = command.ExecuteNonQuery() == 1;
        transaction.Commit();
        return written;
    }

    public async Task<IReadOnlyList<UserProfile>> SearchAsync(UserSearch search, CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        var conditions = new List<string>();
        if (search.Status is { } status)
        {
            conditions.Add("status = $status");
            command.Parameters.AddWithValue("$status", UserStatusText.Of(status));
        }
        if (search.PrefixKey is { } prefix)
        {
            conditions.Add("((email_key >= $prefix AND email_key < $upper) OR (name_key >= $prefix AND name_key < $upper))");
            command.Parameters.AddWithValue("$prefix", prefix);
            command.Parameters.AddWithValue("$upper", SearchKey.UpperBoundOf(prefix));
        }
        if (search.After is { } after)
        {
            conditions.Add("(name_key > $afterName OR (name_key = $afterName AND id > $afterId))");
            command.Parameters.AddWithValue("$afterName", after.NameKey);
            command.Parameters.AddWithValue("$afterId", after.UserId.ToString());
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        command.CommandText = $"SELECT {Columns} FROM user_profiles {where} ORDER BY name_key, id LIMIT $limit";
        command.Parameters.AddWithValue("$limit", search.Limit);
        var profiles = new List<UserProfile>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            profiles.Add(Read(reader));
        }
        return profiles;
    }

    public async Task<UserCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM user_profiles GROUP BY status";
        long active = 0, deactivated = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            switch (UserStatusText.Parse(reader.GetString(0)))
            {
                case UserStatus.Active: active = reader.GetInt64(1); break;
                case UserStatus.Deactivated: deactivated = reader.GetInt64(1); break;
            }
        }
        return new UserCounts(active, deactivated);
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

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static UserProfile Read(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), UserStatusText.Parse(reader.GetString(3)), reader.GetInt64(4),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));
}
