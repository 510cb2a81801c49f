using Microsoft.Data.Sqlite;
using ServiceDefaults.Sqlite;

namespace EventStore.Tests;

/// <summary>
/// Group commit in the shared SQLite writer. A first write holds the writer (it waits on a gate the test opens) while the
/// test queues more, so everything queued meanwhile goes into the next transaction together: the after-commit hook counts
/// commits, and two commits for the holder plus the rest prove the rest was one batch.
/// </summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private const string Schema = """
        PRAGMA foreign_keys = ON;
        CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS parents (id INTEGER PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS children (
            id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED);
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("sqlite-database-").FullName;
    private readonly List<long> _committedItems = [];
    private int _commits;

    private string Path => System.IO.Path.Combine(_folder, "test.db");

    private SqliteDatabase Open() => new(Path, Schema, SqliteDurability.Full, () =>
    {
        _commits++;
        _committedItems.Add(CountItemsFromAnotherConnection());
    });

    [Fact]
    public async Task A_throwing_write_in_a_batch_of_many_fails_alone_and_the_others_commit()
    {
        await using var database = Open();
        var writes = await InOneBatchAsync(database, Enumerable.Range(1, 100).Select(id => (Func<SqliteStatements, int>)(statements =>
        {
            Insert(statements, id);
            return id switch
            {
                40 => throw new InvalidOperationException("the write's own failure after it inserted"),
                60 => Insert(statements, 1), // a unique violation: id 1 is in the same batch
                _ => id,
            };
        })));
        var failures = writes.Where(w => w.IsFaulted).Select(w => w.Exception!.InnerException).ToList();
        Assert.Collection(failures,
            e => Assert.IsType<InvalidOperationException>(e),
            e => Assert.Equal(19, Assert.IsType<SqliteException>(e).SqliteErrorCode)); // SQLITE_CONSTRAINT
        Assert.Equal(98, writes.Count(w => w.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(1, 100).Except([40, 60]).Select(id => (long)id), ItemsFromAnotherConnection());
        Assert.Equal(2, _commits);
    }

    [Fact]
    public async Task Writes_of_one_batch_see_the_earlier_ones_as_if_they_ran_in_turn()
    {
        await using var database = Open();
        var writes = await InOneBatchAsync(database, Enumerable.Range(1, 5).Select(version => (Func<SqliteStatements, int>)(statements =>
            statements.For(version == 1
                ? "INSERT INTO items (id, version) VALUES (7, 1)"
                : $"UPDATE items SET version = {version} WHERE id = 7 AND version = {version - 1}").ExecuteNonQuery())));
        Assert.All(writes, w => Assert.Equal(1, w.Result));
        Assert.Equal(2, _commits);
    }

    [Fact]
    public async Task The_hook_runs_once_per_commit_after_the_data_is_committed_and_before_the_callers_resume()
    {
        await using var database = Open();
        var writes = await InOneBatchAsync(database, Enumerable.Range(1, 20).Select(id => (Func<SqliteStatements, int>)(statements => Insert(statements, id))));
        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully));
        Assert.Equal([0L, 20L], _committedItems); // the holder's commit, then the batch's: all of it visible to another reader
    }

    [Fact]
    public async Task A_write_cancelled_before_it_starts_is_removed()
    {
        await using var database = Open();
        using var cancel = new CancellationTokenSource();
        var (holder, gate) = Hold(database);
        await holder.Started;
        var cancelled = database.WriteAsync(statements => Insert(statements, 2), cancel.Token);
        var kept = database.WriteAsync(statements => Insert(statements, 3));
        await cancel.CancelAsync();
        gate.Set();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await kept;
        Assert.Equal([3L], ItemsFromAnotherConnection());
    }

    [Fact]
    public async Task A_failed_commit_fails_every_write_of_the_batch_and_the_next_batch_commits()
    {
        await using var database = Open();
        var writes = await InOneBatchAsync(database, Enumerable.Range(1, 10).Select(id => (Func<SqliteStatements, int>)(statements =>
        {
            var sql = id == 5 ? "INSERT INTO children (id, parent) VALUES (1, 404)" : $"INSERT INTO items (id, version) VALUES ({id}, 1)";
            return statements.For(sql).ExecuteNonQuery(); // the orphan child passes its statement; the deferred foreign key fails the COMMIT
        })));
        Assert.All(writes, w => Assert.IsType<SqliteException>(w.Exception!.InnerException));
        Assert.Empty(ItemsFromAnotherConnection());
        Assert.Equal(1, await database.WriteAsync(statements => Insert(statements, 11)));
        Assert.Equal([11L], ItemsFromAnotherConnection());
    }

    [Fact]
    public async Task A_statement_stays_prepared_across_writes_and_comes_back_without_the_last_parameters()
    {
        await using var database = Open();
        var first = await database.WriteAsync(statements => (Command: statements.For(InsertItem), Inserted: Insert(statements, 1)));
        var second = await database.WriteAsync(statements =>
            (Command: statements.For(InsertItem), Parameters: statements.For(InsertItem).Parameters.Count, Inserted: Insert(statements, 2)));
        Assert.Same(first.Command, second.Command);
        Assert.Equal(0, second.Parameters);
        Assert.Equal([1L, 2L], ItemsFromAnotherConnection());
    }

    [Fact]
    public async Task Kept_read_statements_see_every_commit_of_this_database_and_of_another_on_the_same_file()
    {
        await using var database = Open();
        await using var other = new SqliteDatabase(Path, Schema);
        for (var id = 1; id <= 3; id++)
        {
            await (id % 2 == 0 ? other : database).WriteAsync(statements => Insert(statements, id));
            Assert.Equal((long)id, await database.ReadFirstAsync("SELECT COUNT(*) FROM items", _ => { }, reader => reader.GetInt64(0)));
            Assert.Equal((long)id, await other.ReadFirstAsync("SELECT COUNT(*) FROM items", _ => { }, reader => reader.GetInt64(0)));
        }
    }

    /// <summary>Holds the writer with a first write (a parent row), queues <paramref name="writes"/>, opens the gate, awaits them all.</summary>
    private static async Task<IReadOnlyList<Task<int>>> InOneBatchAsync(SqliteDatabase database, IEnumerable<Func<SqliteStatements, int>> writes)
    {
        var (holder, gate) = Hold(database);
        await holder.Started;
        var queued = writes.Select(write => database.WriteAsync(write)).ToList();
        gate.Set();
        await holder.Done;
        await Task.WhenAll(queued).ContinueWith(_ => { }, TaskScheduler.Default);
        return queued;
    }

    private static ((Task Started, Task Done) Holder, ManualResetEventSlim Gate) Hold(SqliteDatabase database)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new ManualResetEventSlim();
        var done = database.WriteAsync(statements =>
        {
            started.SetResult();
            gate.Wait(); // the writer waits for the test, not for a clock
            return statements.For("INSERT INTO parents (id) VALUES (1)").ExecuteNonQuery();
        });
        return ((started.Task, done), gate);
    }

    private const string InsertItem = "INSERT INTO items (id, version) VALUES ($id, 1)";

    private static int Insert(SqliteStatements statements, int id)
    {
        var command = statements.For(InsertItem);
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery();
    }

    private List<long> ItemsFromAnotherConnection()
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM items ORDER BY id";
        using var reader = command.ExecuteReader();
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    private long CountItemsFromAnotherConnection() => ItemsFromAnotherConnection().Count;

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
