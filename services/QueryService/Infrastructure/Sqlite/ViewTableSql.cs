namespace QueryService.Infrastructure.Sqlite;

/// <summary>
/// The SQL of one generation's table (<see cref="Views.GenerationNames"/>): its schema and statements. Generation 0 keeps
/// the original table and index names, so files written before generations existed are served as they are.
/// </summary>
internal static class ViewTableSql
{
    public const string Columns = "id, email, display_name, status, version, registered_at, updated_at";

    /// <summary>The pointer: one row naming the served generation, the one being built and the feed position its build reached.</summary>
    public const string PointerSchema = """
        PRAGMA secure_delete = ON;
        CREATE TABLE IF NOT EXISTS view_generations (
            id       INTEGER PRIMARY KEY CHECK (id = 1),
            served   INTEGER NOT NULL,
            building INTEGER,
            position INTEGER);
        INSERT OR IGNORE INTO view_generations (id, served) VALUES (1, 0);
        """;

    public const string ReadPointer = "SELECT served, building, position FROM view_generations WHERE id = 1";

    /// <summary>Every generation table in the file (for dropping the ones neither served nor being built).</summary>
    public const string ListTables = $"""
        SELECT name FROM sqlite_master WHERE type = 'table' AND (name = '{Views.GenerationNames.Original}' OR name GLOB '{Views.GenerationNames.Original}_[0-9]*')
        """;

    public static string Schema(string table)
    {
        var prefix = table == Views.GenerationNames.Original ? "" : table + "_";
        return $"""
            CREATE TABLE IF NOT EXISTS {table} (
                id            TEXT    PRIMARY KEY,
                email         TEXT    NOT NULL,
                email_key     TEXT    NOT NULL,
                display_name  TEXT    NOT NULL,
                name_key      TEXT    NOT NULL,
                status        TEXT    NOT NULL,
                version       INTEGER NOT NULL,
                registered_at INTEGER NOT NULL,
                updated_at    INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS {prefix}directory_by_name ON {table} (name_key, id);
            CREATE INDEX IF NOT EXISTS {prefix}directory_by_status ON {table} (status, name_key, id);
            CREATE INDEX IF NOT EXISTS {prefix}by_email_key ON {table} (email_key);
            """;
    }

    public static string Register(string table) => $"""
        INSERT INTO {table} (id, email, email_key, display_name, name_key, status, version, registered_at, updated_at)
        VALUES ($id, $email, $emailKey, $name, $nameKey, $status, $version, $registeredAt, $updatedAt)
        ON CONFLICT (id) DO NOTHING
        """;

    public static string Advance(string table) => $"""
        UPDATE {table} SET email = $email, email_key = $emailKey, display_name = $name, name_key = $nameKey,
            status = $status, version = $version, updated_at = $updatedAt
        WHERE id = $id AND version = $version - 1
        """;

    /// <summary>A rebuild's write: the view as folded, replacing only a lower version.</summary>
    public static string Replace(string table) => $"""
        INSERT INTO {table} (id, email, email_key, display_name, name_key, status, version, registered_at, updated_at)
        VALUES ($id, $email, $emailKey, $name, $nameKey, $status, $version, $registeredAt, $updatedAt)
        ON CONFLICT (id) DO UPDATE SET email = excluded.email, email_key = excluded.email_key, display_name = excluded.display_name,
            name_key = excluded.name_key, status = excluded.status, version = excluded.version,
            registered_at = excluded.registered_at, updated_at = excluded.updated_at
        WHERE excluded.version > {table}.version
        """;

    public static string FindMany(string table) => $"SELECT {Columns} FROM {table} WHERE id IN (SELECT value FROM json_each($ids))";
}
