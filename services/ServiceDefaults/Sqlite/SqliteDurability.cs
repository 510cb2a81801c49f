namespace ServiceDefaults.Sqlite;

/// <summary>How far a commit is on disk when <see cref="SqliteDatabase.WriteAsync{T}"/> returns (SQLite's <c>synchronous</c> in WAL mode).</summary>
public enum SqliteDurability
{
    /// <summary><c>synchronous=NORMAL</c>: a commit survives a crash of the process; an OS crash or a power cut may lose the last commits, never the file.</summary>
    Normal,

    /// <summary><c>synchronous=FULL</c>: every commit is fsynced before it is acknowledged, so it survives a power cut too (one fsync per group commit).</summary>
    Full,
}
