using System.Text.Json;
using Microsoft.Data.Sqlite;
using QueryService.Views;

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
        _database.WriteAsync(command =>
        {
            var pointer = ReadPointer(command);
            if (pointer.Building is not null)
            {
                return pointer;
            }
            var generation = pointer.Served + 1;
            var table = GenerationNames.Of(generation);
            command.CommandText = $"DROP TABLE IF EXISTS {table};" + ViewTableSql.Schema(table) +
                "UPDATE view_generations SET building = $building, position = NULL WHERE id = 1";
            command.Parameters.AddWithValue("$building", generation);
            command.ExecuteNonQuery();
            return pointer with { Building = generation, Position = null };
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, UserProfile>> FindBuildingAsync(
        int generation, IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken = default)
    {
        var found = await _database.ReadRowsAsync(command =>
        {
            command.CommandText = ViewTableSql.FindMany(GenerationNames.Of(generation));
            command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(userIds.Select(id => id.ToString())));
        }, Read, cancellationToken);
        return found.ToDictionary(profile => profile.UserId);
    }

    public Task WriteBuildingAsync(int generation, IReadOnlyCollection<UserProfile> profiles, ulong position, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(command =>
        {
            command.CommandText = "UPDATE view_generations SET position = $position WHERE id = 1 AND building = $building";
            command.Parameters.AddWithValue("$position", (long)position);
            command.Parameters.AddWithValue("$building", generation);
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"Generation {generation} is not the one being built.");
            }
            command.CommandText = ViewTableSql.Replace(GenerationNames.Of(generation));
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
        _served = await _database.WriteAsync(command =>
        {
            command.CommandText = "UPDATE view_generations SET served = building, building = NULL, position = NULL WHERE id = 1 AND building = $building";
            command.Parameters.AddWithValue("$building", generation);
            return command.ExecuteNonQuery() == 1
                ? GenerationNames.Of(generation)
                : throw new InvalidOperationException($"Generation {generation} is not the one being built.");
        }, cancellationToken);
        await _database.WriteAsync(DropUnused, cancellationToken);
    }

    /// <summary>Drops every generation table that is neither served nor being built (secure_delete zeroes their pages).</summary>
    private static bool DropUnused(SqliteCommand command)
    {
        var pointer = ReadPointer(command);
        var keep = new[] { GenerationNames.Of(pointer.Served), pointer.Building is { } b ? GenerationNames.Of(b) : null };
        command.CommandText = ViewTableSql.ListTables;
        var tables = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        foreach (var table in tables.Where(t => !keep.Contains(t)))
        {
            command.CommandText = $"DROP TABLE {table}";
            command.ExecuteNonQuery();
        }
        return true;
    }

    private static GenerationPointer ReadPointer(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.CommandText = ViewTableSql.ReadPointer;
        using var reader = command.ExecuteReader();
        reader.Read();
        var pointer = new GenerationPointer(
            reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : (ulong)reader.GetInt64(2));
        command.Parameters.Clear();
        return pointer;
    }
}
