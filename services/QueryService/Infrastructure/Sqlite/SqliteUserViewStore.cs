using Microsoft.Data.Sqlite;
using QueryService.Views;
using ServiceDefaults.Sqlite;

namespace QueryService.Infrastructure.Sqlite;

/// <summary>
/// The embedded view store: one SQLite file (see <see cref="SqliteDatabase"/>; several processes may share it), one table
/// per generation of the views (<see cref="ViewTableSql"/>) and a pointer row naming the served one. Registration inserts
/// only when no row exists; every later write is an UPDATE conditioned on the previous version. Times are Unix
/// milliseconds. Reads and writes go to the served table; one that finds it dropped (another process or a rebuild switched)
/// reads the pointer again and retries there. Commits use <see cref="SqliteDurability.Normal"/>: the views are a copy of
/// the event log, so a power cut that loses their last commits is healed by gap repair or a rebuild (see the README).
/// </summary>
public sealed partial class SqliteUserViewStore : IUserViewStore, IAsyncDisposable, IDisposable
{
    /// <summary>The original table (generation 0); rebuilt generations are <c>user_profiles_N</c>.</summary>
    public const string TableName = GenerationNames.Original;

    private readonly SqliteDatabase _database;
    private volatile string _served;

    public SqliteUserViewStore(string path)
    {
        _database = new SqliteDatabase(path, ViewTableSql.PointerSchema);
        _served = _database.WriteAsync(OpenServed).GetAwaiter().GetResult();
    }

    /// <summary>The table currently served (for tests and diagnostics).</summary>
    public string ServedTable => _served;

    public Task<UserProfile?> FindAsync(Guid userId, CancellationToken cancellationToken = default) =>
        OnServedAsync(table => _database.ReadFirstAsync(
            $"SELECT {ViewTableSql.Columns} FROM {table} WHERE id = $id", command => command.Parameters.AddWithValue("$id", userId.ToString()),
            Read, cancellationToken), cancellationToken);

    /// <summary>Version 1 inserts the view unless it exists; a later version updates it only from the version before.</summary>
    public Task<bool> TryWriteAsync(UserProfile profile, CancellationToken cancellationToken = default) =>
        OnServedAsync(table => _database.WriteRowAsync(
            profile.Version == 1 ? ViewTableSql.Register(table) : ViewTableSql.Advance(table),
            command => Bind(command.Parameters, profile), cancellationToken), cancellationToken);

    public Task<IReadOnlyList<UserProfile>> SearchAsync(UserSearch search, CancellationToken cancellationToken = default) =>
        OnServedAsync(table =>
        {
            var (sql, parameters) = SearchQuery(table, search);
            return _database.ReadRowsAsync(sql, command =>
            {
                foreach (var (name, value) in parameters)
                {
                    command.Parameters.AddWithValue(name, value);
                }
            }, Read, cancellationToken);
        }, cancellationToken);

    /// <summary>The search's query (one text per combination of filters, so each stays prepared) and its parameters.</summary>
    private static (string Sql, IReadOnlyList<(string Name, object Value)> Parameters) SearchQuery(string table, UserSearch search)
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
        return ($"SELECT {ViewTableSql.Columns} FROM {table} {where} ORDER BY name_key, id LIMIT $limit", parameters);
    }

    public async Task<UserCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        var byStatus = await OnServedAsync(table => _database.ReadRowsAsync(
            $"SELECT status, COUNT(*) FROM {table} GROUP BY status", _ => { },
            reader => (Status: UserStatusText.Parse(reader.GetString(0)), Count: reader.GetInt64(1)),
            cancellationToken), cancellationToken);
        return new UserCounts(
            byStatus.Where(s => s.Status == UserStatus.Active).Sum(s => s.Count),
            byStatus.Where(s => s.Status == UserStatus.Deactivated).Sum(s => s.Count));
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    public void Dispose() => _database.Dispose();

    /// <summary>Runs on the served table; when that table is gone (switched meanwhile), reads the pointer and runs once more.</summary>
    private async Task<T> OnServedAsync<T>(Func<string, Task<T>> run, CancellationToken cancellationToken)
    {
        var table = _served;
        try
        {
            return await run(table);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            _served = await _database.WriteAsync(OpenServed, cancellationToken);
            return await run(_served);
        }
    }

    /// <summary>Reads the pointer and makes sure the served table exists (a new file starts serving an empty generation 0).</summary>
    private static string OpenServed(SqliteStatements statements)
    {
        var served = statements.For(ViewTableSql.ReadPointer).ExecuteScalar();
        var table = GenerationNames.Of(Convert.ToInt32(served, System.Globalization.CultureInfo.InvariantCulture));
        statements.ExecuteOnce(ViewTableSql.Schema(table));
        return table;
    }

    private static void Bind(SqliteParameterCollection parameters, UserProfile profile)
    {
        parameters.AddWithValue("$id", profile.UserId.ToString());
        parameters.AddWithValue("$email", profile.Email);
        parameters.AddWithValue("$emailKey", profile.EmailKey);
        parameters.AddWithValue("$name", profile.DisplayName);
        parameters.AddWithValue("$nameKey", profile.NameKey);
        parameters.AddWithValue("$status", UserStatusText.Of(profile.Status));
        parameters.AddWithValue("$version", profile.Version);
        parameters.AddWithValue("$registeredAt", profile.RegisteredAt.ToUnixTimeMilliseconds());
        parameters.AddWithValue("$updatedAt", profile.UpdatedAt.ToUnixTimeMilliseconds());
    }

    private static UserProfile Read(SqliteDataReader reader) => new(
        Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), UserStatusText.Parse(reader.GetString(3)), reader.GetInt64(4),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));
}
