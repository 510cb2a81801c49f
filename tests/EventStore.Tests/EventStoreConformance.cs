using System.Text;

namespace EventStore.Tests;

/// <summary>
/// What every adapter of the event store port must do. An adapter's test class derives from this and supplies a store;
/// streams get unique names per test, so one store (one server) serves the whole class.
/// </summary>
public abstract class EventStoreConformance
{
    protected abstract IEventStore Store { get; }

    protected abstract ICheckpointStore Checkpoints { get; }

    private static string NewStream(string prefix = "conformance") => $"{prefix}-{Guid.NewGuid():N}";

    protected static EventData NewEvent(string type = "Happened", string json = """{"n":1}""") =>
        new(Guid.CreateVersion7(), type, Encoding.UTF8.GetBytes(json),
            new EventMetadata(Guid.NewGuid(), Guid.NewGuid(), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "k=v", DateTimeOffset.UtcNow));

    [Fact]
    public async Task Appending_to_a_new_stream_with_no_stream_expected_starts_at_revision_zero()
    {
        var stream = NewStream();
        var result = await Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent()]);
        Assert.Equal(0, result.Revision);
        var read = Assert.Single(await Store.ReadStreamAsync(stream));
        Assert.Equal(result.Position, read.Position);
    }

    [Fact]
    public async Task Reading_a_missing_stream_returns_nothing()
    {
        Assert.Empty(await Store.ReadStreamAsync(NewStream()));
    }

    [Fact]
    public async Task An_event_keeps_its_envelope()
    {
        var stream = NewStream();
        var sent = NewEvent("Renamed", """{"name":"Ada"}""");
        await Store.AppendAsync(stream, ExpectedRevision.NoStream, [sent]);
        var read = Assert.Single(await Store.ReadStreamAsync(stream));
        Assert.Equal(stream, read.Stream);
        Assert.Equal(sent.EventId, read.EventId);
        Assert.Equal("Renamed", read.EventType);
        Assert.Equal("""{"name":"Ada"}""", Encoding.UTF8.GetString(read.Data.Span));
        Assert.Equal(sent.Metadata.CorrelationId, read.Metadata.CorrelationId);
        Assert.Equal(sent.Metadata.CausationId, read.Metadata.CausationId);
        Assert.Equal(sent.Metadata.TraceParent, read.Metadata.TraceParent);
        Assert.Equal(sent.Metadata.TraceState, read.Metadata.TraceState);
        Assert.Equal(sent.Metadata.Timestamp, read.Metadata.Timestamp);
    }

    [Fact]
    public async Task No_stream_expected_on_an_existing_stream_is_a_conflict()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent()]);
        var conflict = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent()]));
        Assert.Equal(stream, conflict.Stream);
        Assert.Single(await Store.ReadStreamAsync(stream));
    }

    [Fact]
    public async Task A_stale_exact_revision_is_a_conflict_and_writes_nothing()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent(), NewEvent()]);
        await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => Store.AppendAsync(stream, ExpectedRevision.Exact(0), [NewEvent(), NewEvent()]));
        Assert.Equal(2, (await Store.ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Stream_exists_expected_on_a_missing_stream_is_a_conflict()
    {
        await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => Store.AppendAsync(NewStream(), ExpectedRevision.StreamExists, [NewEvent()]));
    }

    [Fact]
    public async Task Any_and_exact_revisions_append_in_order()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedRevision.Any, [NewEvent()]);
        await Store.AppendAsync(stream, ExpectedRevision.Exact(0), [NewEvent()]);
        await Store.AppendAsync(stream, ExpectedRevision.StreamExists, [NewEvent()]);
        var result = await Store.AppendAsync(stream, ExpectedRevision.Any, [NewEvent()]);
        Assert.Equal(3, result.Revision);
        Assert.Equal([0L, 1, 2, 3], (await Store.ReadStreamAsync(stream)).Select(e => e.Revision));
    }

    [Fact]
    public async Task Several_events_append_atomically_with_consecutive_revisions_and_rising_positions()
    {
        var stream = NewStream();
        var events = Enumerable.Range(0, 5).Select(_ => NewEvent()).ToArray();
        var result = await Store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        var read = await Store.ReadStreamAsync(stream);
        Assert.Equal(events.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Equal([0L, 1, 2, 3, 4], read.Select(e => e.Revision));
        Assert.True(read.Zip(read.Skip(1)).All(pair => pair.First.Position < pair.Second.Position));
        Assert.Equal(4, result.Revision);
        Assert.Equal(read[^1].Position, result.Position);
    }

    [Fact]
    public async Task Reading_a_stream_honours_start_revision_and_count()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedRevision.NoStream, Enumerable.Range(0, 6).Select(_ => NewEvent()).ToArray());
        var read = await Store.ReadStreamAsync(stream, fromRevision: 2, maxCount: 3);
        Assert.Equal([2L, 3, 4], read.Select(e => e.Revision));
    }

    [Fact]
    public async Task Retrying_an_append_with_the_same_event_ids_is_idempotent()
    {
        var stream = NewStream();
        var events = new[] { NewEvent(), NewEvent() };
        var first = await Store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        var retried = await Store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        Assert.Equal(first, retried);
        Assert.Equal(2, (await Store.ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Concurrent_appends_with_one_expected_revision_let_exactly_one_win()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent()]);
        var attempts = Enumerable.Range(0, 10)
            .Select(_ => Task.Run(() => Store.AppendAsync(stream, ExpectedRevision.Exact(0), [NewEvent(), NewEvent()])))
            .ToArray();
        var outcomes = await Task.WhenAll(attempts.Select(async t =>
        {
            try { await t; return true; }
            catch (WrongExpectedRevisionException) { return false; }
        }));
        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal(3, (await Store.ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task The_global_log_holds_every_stream_in_append_order()
    {
        var prefix = $"log{Guid.NewGuid():N}";
        var start = await LastPositionAsync();
        var appended = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var e = NewEvent();
            appended.Add(e.EventId);
            await Store.AppendAsync($"{prefix}-{i % 3}", ExpectedRevision.Any, [e]);
        }
        var log = await ReadAllAfterAsync(start);
        var ours = log.Where(e => e.Stream.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(appended, ours.Select(e => e.EventId));
        Assert.True(log.Zip(log.Skip(1)).All(pair => pair.First.Position < pair.Second.Position));
    }

    [Fact]
    public async Task Reading_the_global_log_honours_the_count_and_resumes_after_a_position()
    {
        var stream = NewStream();
        var start = await LastPositionAsync();
        await Store.AppendAsync(stream, ExpectedRevision.NoStream, Enumerable.Range(0, 4).Select(_ => NewEvent()).ToArray());
        var firstPage = await Store.ReadAllAsync(start, 2);
        Assert.Equal(2, firstPage.Count);
        var rest = (await ReadAllAfterAsync(firstPage[^1].Position)).Where(e => e.Stream == stream).ToList();
        Assert.Equal([2L, 3], rest.Select(e => e.Revision));
    }

    [Fact]
    public async Task The_head_is_the_position_of_the_last_event_appended()
    {
        var appended = await Store.AppendAsync(NewStream(), ExpectedRevision.NoStream, [NewEvent(), NewEvent()]);
        Assert.Equal(appended.Position, await Store.ReadHeadAsync());
        Assert.Equal(appended.Position, await LastPositionAsync());
    }

    [Fact]
    public async Task Following_the_log_delivers_existing_and_live_appends_in_order_without_gaps()
    {
        var prefix = $"follow{Guid.NewGuid():N}";
        var start = await LastPositionAsync();
        var expected = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var e = NewEvent();
            expected.Add(e.EventId);
            await Store.AppendAsync($"{prefix}-a", ExpectedRevision.Any, [e]);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<StoredEvent>();
        var follower = Task.Run(async () =>
        {
            await foreach (var e in Store.FollowAllAsync(start, prefix, timeout.Token))
            {
                seen.Add(e);
                if (seen.Count == 3 + 4 * 25)
                {
                    return;
                }
            }
        });
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            for (var i = 0; i < 25; i++)
            {
                var e = NewEvent();
                mine.Add(e.EventId);
                await Store.AppendAsync($"{prefix}-w{w}", ExpectedRevision.Any, [e]);
            }
            return mine;
        })).ToArray();
        var written = await Task.WhenAll(writers);
        await follower;
        Assert.Equal(expected, seen.Take(3).Select(e => e.EventId));
        Assert.Equal(written.SelectMany(w => w).Order(), seen.Skip(3).Select(e => e.EventId).Order());
        Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First.Position < pair.Second.Position));
        for (var w = 0; w < 4; w++)
        {
            var stream = $"{prefix}-w{w}";
            Assert.Equal(written[w], seen.Where(e => e.Stream == stream).Select(e => e.EventId));
        }
    }

    [Fact]
    public async Task Following_with_a_prefix_skips_other_streams()
    {
        var prefix = $"only{Guid.NewGuid():N}";
        var start = await LastPositionAsync();
        await Store.AppendAsync(NewStream("other"), ExpectedRevision.Any, [NewEvent()]);
        var wanted = NewEvent();
        await Store.AppendAsync($"{prefix}-1", ExpectedRevision.Any, [wanted]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in Store.FollowAllAsync(start, prefix, timeout.Token))
        {
            Assert.Equal(wanted.EventId, e.EventId);
            break;
        }
    }

    [Fact]
    public async Task Concurrent_appends_to_many_streams_let_exactly_one_per_stream_win_and_keep_its_events_whole()
    {
        var streams = Enumerable.Range(0, 8).Select(_ => NewStream("race")).ToList();
        foreach (var stream in streams)
        {
            await Store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent()]);
        }
        var attempts = streams.SelectMany(stream => Enumerable.Range(0, 6).Select(_ => (Stream: stream, Events: new[] { NewEvent(), NewEvent() })))
            .ToList();
        var outcomes = await Task.WhenAll(attempts.Select(async attempt =>
        {
            try { return (attempt.Stream, attempt.Events, Result: (AppendResult?)await Store.AppendAsync(attempt.Stream, ExpectedRevision.Exact(0), attempt.Events)); }
            catch (WrongExpectedRevisionException) { return (attempt.Stream, attempt.Events, Result: null); }
        }));
        foreach (var stream in streams)
        {
            var winner = Assert.Single(outcomes, o => o.Stream == stream && o.Result is not null);
            var stored = await Store.ReadStreamAsync(stream);
            Assert.Equal([0L, 1, 2], stored.Select(e => e.Revision));
            Assert.Equal(winner.Events.Select(e => e.EventId), stored.Skip(1).Select(e => e.EventId));
            Assert.Equal(new AppendResult(2, stored[^1].Position), winner.Result);
            Assert.True(stored[1].Position < stored[2].Position);
        }
    }

    [Fact]
    public async Task Concurrent_appends_to_one_stream_with_any_revision_all_land_whole_with_consecutive_revisions()
    {
        var stream = NewStream();
        var attempts = Enumerable.Range(0, 20).Select(_ => new[] { NewEvent(), NewEvent() }).ToList();
        var results = await Task.WhenAll(attempts.Select(events => Store.AppendAsync(stream, ExpectedRevision.Any, events)));
        var stored = await Store.ReadStreamAsync(stream);
        Assert.Equal(Enumerable.Range(0, 40).Select(r => (long)r), stored.Select(e => e.Revision));
        foreach (var (events, result) in attempts.Zip(results))
        {
            var last = Assert.Single(stored, e => e.EventId == events[^1].EventId);
            Assert.Equal(new AppendResult(last.Revision, last.Position), result);
            Assert.Equal(events[0].EventId, stored[(int)last.Revision - 1].EventId);
        }
    }

    [Fact]
    public async Task Concurrent_retries_of_one_append_store_its_events_once()
    {
        var stream = NewStream();
        var events = new[] { NewEvent(), NewEvent() };
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.AppendAsync(stream, ExpectedRevision.NoStream, events)));
        Assert.Single(results.Distinct());
        Assert.Equal(events.Select(e => e.EventId), (await Store.ReadStreamAsync(stream)).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_checkpoint_is_stored_and_overwritten()
    {
        var name = $"checkpoint-{Guid.NewGuid():N}";
        Assert.Null(await Checkpoints.LoadCheckpointAsync(name));
        await Checkpoints.StoreCheckpointAsync(name, 42);
        await Checkpoints.StoreCheckpointAsync(name, 4242);
        Assert.Equal(4242UL, await Checkpoints.LoadCheckpointAsync(name));
    }

    private async Task<ulong?> LastPositionAsync()
    {
        ulong? last = null;
        while (true)
        {
            var page = await Store.ReadAllAsync(last, 4096);
            if (page.Count == 0)
            {
                return last;
            }
            last = page[^1].Position;
        }
    }

    private async Task<List<StoredEvent>> ReadAllAfterAsync(ulong? after)
    {
        var all = new List<StoredEvent>();
        while (true)
        {
            var page = await Store.ReadAllAsync(after, 1000);
            if (page.Count == 0)
            {
                return all;
            }
            all.AddRange(page);
            after = page[^1].Position;
        }
    }
}
