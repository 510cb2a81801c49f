using ServiceDefaults.Sqlite;

namespace EventStore.Sqlite;

/// <summary>
/// The embedded key store: its own SQLite file, apart from the events. A destroyed key leaves its row with no key (so it
/// is never made again); <c>secure_delete</c> overwrites the freed bytes, so the key is gone from the file (and, once the
/// WAL is checkpointed, from its journal) rather than lying in a free page. Commits are durable against a power cut
/// (<see cref="SqliteDurability.Full"/>): a key lost after the events it sealed were stored would leave them unreadable.
/// </summary>
public sealed class SqliteKeyStore : IKeyStore, IAsyncDisposable
{
    private const string Schema = """
        PRAGMA secure_delete = ON;
        CREATE TABLE IF NOT EXISTS data_keys (
            subject TEXT PRIMARY KEY,
            key     BLOB NULL);
        """;

    private readonly SqliteDatabase _database;

    public SqliteKeyStore(string path) => _database = new SqliteDatabase(path, Schema, SqliteDurability.Full);

    /// <summary>Reads first: only a subject's first use writes (insert-if-absent, then the winner's key is read back).</summary>
    public async Task<DataKey> GetOrCreateAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        if (await FindAsync(subject, cancellationToken) is { Status: not DataKeyStatus.Missing } found)
        {
            return found;
        }
        var candidate = DataKey.NewRandom();
        var inserted = await _database.WriteRowAsync("INSERT INTO data_keys (subject, key) VALUES ($subject, $key) ON CONFLICT (subject) DO NOTHING", command =>
        {
            command.Parameters.AddWithValue("$subject", subject);
            command.Parameters.AddWithValue("$key", candidate.Bytes);
        }, cancellationToken);
        return inserted ? candidate : await FindAsync(subject, cancellationToken); // not inserted: a live or destroyed key was there
    }

    public async Task<DataKey> FindAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var found = await _database.ReadFirstAsync(
            "SELECT key FROM data_keys WHERE subject = $subject", command => command.Parameters.AddWithValue("$subject", subject),
            reader => reader.IsDBNull(0) ? DataKey.Destroyed : DataKey.Live((byte[])reader[0]), cancellationToken);
        return found ?? DataKey.Missing;
    }

    public async Task DestroyAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        await _database.WriteRowAsync(
            "INSERT INTO data_keys (subject, key) VALUES ($subject, NULL) ON CONFLICT (subject) DO UPDATE SET key = NULL",
            command => command.Parameters.AddWithValue("$subject", subject), cancellationToken);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
