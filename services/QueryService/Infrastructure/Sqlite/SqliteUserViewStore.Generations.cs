using System.Text.Json;
using QueryService.Views;
using ServiceDefaults.Sqlite;

namespace QueryService.Infrastructure.Sqlite;

/// <summary>
/// Generations as tables in the one file, the pointer as one row: a rebuild's batch and the position it reached commit in
/// one transaction, and the switch is one UPDATE of the pointer. (A file per generation would need the pointer outside
/// any file's transaction, and every reader to reopen files.)
/// </summary>
public sealed partial class SqliteUserViewStore : IViewGenerations
{
    public Task<GenerationPointer> ReadPointerAsync(CancellationToken cancellationToken = default) =>
        _database.WriteAsync(ReadPointer, cancellationToken);

    public Task<GenerationPointer> BeginAsync(CancellationToken cancellationToken = default) =>
        _database.WriteAsync(statements =>
        {
            var pointer = ReadPointer(statements);
            if (pointer.Building is not null)
            {
                return pointer;
            }
            var generation = pointer.Served + 1;
            var table = GenerationNames.Of(generation);
            statements.ExecuteOnce($"DROP TABLE IF EXISTS {table};" + ViewTableSql.Schema(table) +
                "UPDATE view_generations SET building = $building, position = NULL WHERE id = 1",
                parameters => parameters.AddWithValue("$building", generation));
            return pointer with { Building = generation, Position = null };
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, UserProfile>> FindBuildingAsync(
        int generation, IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken = default)
    {
        var found = await _database.ReadRowsAsync(ViewTableSql.FindMany(GenerationNames.Of(generation)),
            command => command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(userIds.Select(id => id.ToString()))),
            Read, cancellationToken);
        return found.ToDictionary(profile => profile.UserId);
    }

    public Task WriteBuildingAsync(int generation, IReadOnlyCollection<UserProfile> profiles, ulong position, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(statements =>
        {
            var command = statements.For("UPDATE view_generations SET position = $position WHERE id = 1 AND building = $building");
            command.Parameters.AddWithValue("$position", (long)position);
            command.Parameters.AddWithValue("$building", generation);
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"Generation {generation} is not the one being built.");
            }
            command = statements.For(ViewTableSql.Replace(GenerationNames.Of(generation)));
            foreach (var profile in profiles)
            {
                command.Parameters.Clear();
                Bind(command.Parameters, profile);
                command.ExecuteNonQuery();
            }
            return true;
        }, cancellationToken);

    public async Task SwitchAsync(int generation, CancellationToken cancellationToken = default)
    {
        _served = await _database.WriteAsync(statements =>
        {
            var command = statements.For("UPDATE view_generations SET served = building, building = NULL, position = NULL WHERE id = 1 AND building = $building");
            command.Parameters.AddWithValue("$building", generation);
            return command.ExecuteNonQuery() == 1
                ? GenerationNames.Of(generation)
                : throw new InvalidOperationException($"Generation {generation} is not the one being built.");
        }, cancellationToken);
        await _database.WriteAsync(DropUnused, cancellationToken);
    }

    /// <summary>Drops every generation table that is neither served nor being built (secure_delete zeroes their pages).</summary>
    private static bool DropUnused(SqliteStatements statements)
    {
        var pointer = ReadPointer(statements);
        var keep = new[] { GenerationNames.Of(pointer.Served), pointer.Building is { } b ? GenerationNames.Of(b) : null };
        var tables = new List<string>();
        using (var reader = statements.For(ViewTableSql.ListTables).ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        foreach (var table in tables.Where(t => !keep.Contains(t)))
        {
            statements.ExecuteOnce($"DROP TABLE {table}");
        }
        return true;
    }

    private static GenerationPointer ReadPointer(SqliteStatements statements)
    {
        using var reader = statements.For(ViewTableSql.ReadPointer).ExecuteReader();
        reader.Read();
        return new GenerationPointer(
            reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : (ulong)reader.GetInt64(2));
    }
}
