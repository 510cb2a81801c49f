using EventStore.Sqlite;

namespace EventStore.Tests;

public sealed class SqliteStoreFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("eventstore-").FullName;

    public SqliteEventStore Store { get; private set; } = null!;

    public string Path => System.IO.Path.Combine(_folder, "events.db");

    public Task InitializeAsync()
    {
        Store = new SqliteEventStore(Path);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class SqliteEventStoreTests(SqliteStoreFixture fixture) : EventStoreConformance, IClassFixture<SqliteStoreFixture>
{
    protected override IEventStore Store => fixture.Store;

    protected override ICheckpointStore Checkpoints => fixture.Store;

    [Fact]
    public async Task Events_survive_reopening_the_file()
    {
        var stream = $"reopen-{Guid.NewGuid():N}";
        await fixture.Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent(), NewEvent()]);
        await using var reopened = new SqliteEventStore(fixture.Path);
        Assert.Equal([0L, 1], (await reopened.ReadStreamAsync(stream)).Select(e => e.Revision));
    }

    [Fact]
    public async Task A_follower_in_another_store_instance_sees_appends_by_the_fallback_poll()
    {
        var stream = $"crossprocess-{Guid.NewGuid():N}";
        await using var other = new SqliteEventStore(fixture.Path);
        var all = await other.ReadAllAsync(null, int.MaxValue);
        ulong? start = all.Count > 0 ? all[^1].Position : null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var follow = other.FollowAllAsync(start, stream, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = follow.MoveNextAsync().AsTask();
        await fixture.Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent()]);
        Assert.True(await next);
        Assert.Equal(stream, follow.Current.Stream);
        await follow.DisposeAsync();
    }

    [Fact]
    public async Task Appends_queued_together_to_one_stream_behave_as_if_run_in_turn()
    {
        var stream = $"inturn-{Guid.NewGuid():N}";
        var queued = new[]
        {
            fixture.Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent()]),
            fixture.Store.AppendAsync(stream, ExpectedRevision.Exact(0), [NewEvent()]),
            fixture.Store.AppendAsync(stream, ExpectedRevision.Exact(0), [NewEvent()]), // stale once the one before ran
            fixture.Store.AppendAsync(stream, ExpectedRevision.Exact(1), [NewEvent(), NewEvent()]),
        };
        await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => queued[2]);
        var revisions = await Task.WhenAll(queued.Where((_, i) => i != 2).Select(async t => (await t).Revision));
        Assert.Equal([0L, 1, 3], revisions);
        Assert.Equal([0L, 1, 2, 3], (await fixture.Store.ReadStreamAsync(stream)).Select(e => e.Revision));
    }

    [Fact]
    public async Task An_append_that_breaks_a_unique_event_id_fails_alone_and_writes_nothing()
    {
        var taken = NewEvent();
        await fixture.Store.AppendAsync($"owner-{Guid.NewGuid():N}", ExpectedRevision.NoStream, [taken]);
        var (clashing, others) = ($"clash-{Guid.NewGuid():N}", Enumerable.Range(0, 10).Select(i => $"other-{i}-{Guid.NewGuid():N}").ToList());
        var appends = others.Select(stream => fixture.Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent(), NewEvent()])).ToList();
        var clash = fixture.Store.AppendAsync(clashing, ExpectedRevision.NoStream, [NewEvent(), taken, NewEvent()]); // its first event is inserted before the clash
        appends.AddRange(others.Select(stream => fixture.Store.AppendAsync(stream, ExpectedRevision.Exact(1), [NewEvent()])));
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => clash);
        await Task.WhenAll(appends);
        Assert.Empty(await fixture.Store.ReadStreamAsync(clashing));
        foreach (var stream in others)
        {
            Assert.Equal([0L, 1, 2], (await fixture.Store.ReadStreamAsync(stream)).Select(e => e.Revision));
        }
    }

    [Fact]
    public async Task A_follower_gets_appends_committed_together_in_log_order_exactly_as_stored()
    {
        var prefix = $"live-{Guid.NewGuid():N}-";
        var head = await fixture.Store.ReadHeadAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var follow = fixture.Store.FollowAllAsync(head, prefix, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var first = follow.MoveNextAsync().AsTask();
        await fixture.Store.AppendAsync(prefix + "marker", ExpectedRevision.NoStream, [NewEvent()]);
        Assert.True(await first); // the follower is live now: what follows reaches it as it commits

        var mine = Enumerable.Range(0, 40).Select(i => fixture.Store.AppendAsync(prefix + i, ExpectedRevision.NoStream, [NewEvent(), NewEvent()]));
        var others = Enumerable.Range(0, 40).Select(i => fixture.Store.AppendAsync($"else-{i}-{Guid.NewGuid():N}", ExpectedRevision.NoStream, [NewEvent()]));
        var stale = fixture.Store.AppendAsync(prefix + "marker", ExpectedRevision.NoStream, [NewEvent()]);
        await Task.WhenAll(mine.Concat(others));
        await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => stale);
        var followed = new List<StoredEvent> { follow.Current };
        while (followed.Count < 81 && await follow.MoveNextAsync())
        {
            followed.Add(follow.Current);
        }

        var stored = (await fixture.Store.ReadAllAsync(head, int.MaxValue)).Where(e => e.Stream.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Equal(stored.Select(Shape), followed.Select(Shape));
    }

    private static string Shape(StoredEvent e) =>
        $"{e.Position} {e.Stream} {e.Revision} {e.EventId} {e.EventType} {Convert.ToBase64String(e.Data.Span)} {e.Metadata}";
}

/// <summary>The key store conformance suite on the embedded SQLite adapter, plus what only a file can show.</summary>
public sealed class SqliteKeyStoreTests : KeyStoreConformance, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("keystore-").FullName;
    private SqliteKeyStore _keys = null!;

    protected override IKeyStore Keys => _keys;

    public Task InitializeAsync()
    {
        _keys = new SqliteKeyStore(Path.Combine(_folder, "keys.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _keys.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_destroyed_key_leaves_no_bytes_in_the_file()
    {
        var subject = $"user-{Guid.NewGuid()}";
        var key = (await _keys.GetOrCreateAsync(subject)).Bytes!;
        await _keys.DestroyAsync(subject);
        await _keys.DisposeAsync(); // checkpoints the WAL into the file
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var files = Directory.GetFiles(_folder).Select(File.ReadAllBytes).ToList();
        Assert.All(files, bytes => Assert.Equal(-1, bytes.AsSpan().IndexOf(key)));
        _keys = new SqliteKeyStore(Path.Combine(_folder, "keys.db"));
        Assert.Equal(DataKey.Destroyed, await _keys.FindAsync(subject));
    }
}
