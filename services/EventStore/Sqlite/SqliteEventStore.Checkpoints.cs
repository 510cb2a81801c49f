namespace EventStore.Sqlite;

/// <summary>The event store's checkpoints: a named position per follower, in the same file as the log.</summary>
public sealed partial class SqliteEventStore : ICheckpointStore
{
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
}
