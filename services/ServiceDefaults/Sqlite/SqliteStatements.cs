using Microsoft.Data.Sqlite;

namespace ServiceDefaults.Sqlite;

/// <summary>
/// The prepared statements of one open connection: one command per SQL text, kept (and so kept prepared) across calls.
/// Microsoft.Data.Sqlite keeps a command's statements prepared until its text or connection changes, but frees them with
/// the command (and a pooled connection's commands when it goes back to the pool), so a command per call parses its SQL
/// every time. Used by one caller at a time (the writer's loop, or the read that holds the connection).
/// A caller disposes a command's reader before it asks for the same text again.
/// </summary>
public sealed class SqliteStatements : IDisposable
{
    /// <summary>More distinct texts than this (SQL built with values in it) start the cache over rather than grow it.</summary>
    private const int MaxStatements = 64;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    internal SqliteStatements(SqliteConnection connection) => _connection = connection;

    /// <summary>The transaction every command handed out belongs to (the writer's current one; none for reads).</summary>
    internal SqliteTransaction? Transaction { get; set; }

    /// <summary>The command for <paramref name="sql"/>, prepared on first use, with no parameters: bind them, then execute it.</summary>
    public SqliteCommand For(string sql)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        if (!_commands.TryGetValue(sql, out var command))
        {
            if (_commands.Count >= MaxStatements)
            {
                Clear();
            }
            command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = Transaction;
            command.Prepare(); // kept until the command is disposed: later executions only bind and step
            _commands.Add(sql, command);
        }
        command.Parameters.Clear();
        command.Transaction = Transaction;
        return command;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> once without keeping it (schema changes: a text of several statements whose later ones
    /// name tables the earlier ones create cannot be prepared ahead); the number of rows its last statement changed.
    /// </summary>
    public int ExecuteOnce(string sql, Action<SqliteParameterCollection>? bind = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        bind?.Invoke(command.Parameters);
        return command.ExecuteNonQuery();
    }

    private void Clear()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }

    /// <summary>Frees the statements, then closes the connection.</summary>
    public void Dispose()
    {
        Clear();
        _connection.Dispose();
    }
}
