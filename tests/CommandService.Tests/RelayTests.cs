using System.Buffers.Binary;
using Accounts.Contracts.Avro;
using Accounts.Domain;
using Accounts.Testing;
using CommandService.Infrastructure;
using CommandService.Integration;
using EventStore;
using EventStore.Sqlite;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Contracts = Accounts.Contracts;

namespace CommandService.Tests;

/// <summary>The relay over a real RabbitMQ: what leaves the event store reaches the broker, as Avro, exactly as stored.</summary>
[Collection(RelayBroker.Name)]
public sealed class RelayTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task A_registration_arrives_in_a_batch_as_an_avro_single_object_with_the_contracts_fingerprint()
    {
        await using var subscriber = await RawSubscriber.StartAsync(broker.AmqpUrl);
        await using var api = new CommandApi(rabbitMqUrl: broker.AmqpUrl);
        var id = Guid.CreateVersion7();
        (await api.RegisterAsync(id, "relay@example.org")).EnsureSuccessStatusCode();
        var stored = Assert.Single(await api.Store.ReadStreamAsync(UserStreams.For(id)));

        await subscriber.WaitForAsync("the registration's message on the broker",
            received => received.Any(m => m.MessageId == stored.EventId), TimeSpan.FromSeconds(30));

        var published = subscriber.Received.Single(m => m.MessageId == stored.EventId);
        var batch = published.Delivery;
        Assert.Equal("application/vnd.apache.avro+binary", batch.BasicProperties.ContentType);
        Assert.Equal(RabbitMQ.Client.DeliveryModes.Persistent, batch.BasicProperties.DeliveryMode);
        Assert.Equal(AvroContracts.Default.Latest(typeof(Contracts.UserMessageBatch)).Fingerprint, BinaryPrimitives.ReadInt64LittleEndian(batch.Body.Span[2..10]));
        var body = published.Message.Body;
        Assert.Equal([0xC3, 0x01], body[..2]);
        Assert.Equal(AvroContracts.Default.Latest(typeof(Contracts.UserRegistered)).Fingerprint, BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(2, 8)));
        var message = Assert.IsType<Contracts.UserRegistered>(published.Decoded);
        Assert.Equal((id, 1L, "relay@example.org", "Ada"), (message.UserId, message.Version, message.Email, message.DisplayName));
        Assert.Equal(stored.Metadata.CorrelationId, published.Message.CorrelationId);
    }

    [Fact]
    public async Task Stopping_the_relay_mid_stream_and_restarting_it_loses_nothing()
    {
        const int count = 3000;
        var folder = Directory.CreateTempSubdirectory("relay-restart-").FullName;
        var appended = await AppendRegistrationsAsync(Path.Combine(folder, "events.db"), count);
        await using var subscriber = await RawSubscriber.StartAsync(broker.AmqpUrl);

        var first = new CommandApi(folder, broker.AmqpUrl);
        first.Settings["Relay:MaxBatch"] = "10"; // small batches, so it can be stopped mid-stream
        _ = first.Services; // starts the host, and with it the relay
        await subscriber.WaitForAsync("300 messages from the first relay", received => received.Count >= 300, TimeSpan.FromSeconds(60));
        var beforeStop = subscriber.Received.Count;
        await first.StopKeepingDataAsync();
        Assert.True(beforeStop < count, $"the relay finished ({beforeStop}) before it could be stopped mid-stream");

        await using var second = new CommandApi(folder, broker.AmqpUrl);
        var checkpoints = (ICheckpointStore)second.Services.GetService(typeof(ICheckpointStore))!;
        await subscriber.WaitForAsync($"all {count} registrations, across the restart", received => DistinctIds(received).Count == count, TimeSpan.FromSeconds(90));

        Assert.Equal(appended.Order(), DistinctIds(subscriber.Received).Order());
        var last = (await second.Store.ReadAllAsync(null, int.MaxValue)).Last(e => e.Stream.StartsWith(UserStreams.Prefix, StringComparison.Ordinal)).Position;
        await Eventually.UntilAsync($"the relay's checkpoint at the last position ({last})",
            () => checkpoints.LoadCheckpointAsync(OutboxRelay.CheckpointName), checkpoint => checkpoint == last);
    }

    [Fact]
    public async Task Registrations_from_concurrent_writers_are_all_published()
    {
        await using var subscriber = await RawSubscriber.StartAsync(broker.AmqpUrl);
        await using var api = new CommandApi(rabbitMqUrl: broker.AmqpUrl);
        var ids = Enumerable.Range(0, 200).Select(_ => Guid.CreateVersion7()).ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
            (await api.RegisterAsync(id, $"{id:N}@example.org")).EnsureSuccessStatusCode());

        var eventIds = new HashSet<string>();
        foreach (var id in ids)
        {
            eventIds.Add((await api.Store.ReadStreamAsync(UserStreams.For(id)))[0].EventId.ToString());
        }
        await subscriber.WaitForAsync($"the {ids.Length} registrations' messages",
            received => eventIds.IsSubsetOf(received.Select(m => m.MessageId.ToString())), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Each_accounts_events_reach_the_broker_in_version_order_and_a_backlog_in_batches()
    {
        const int users = 20, versions = 25;
        var folder = Directory.CreateTempSubdirectory("relay-order-").FullName;
        await using (var store = new SqliteEventStore(Path.Combine(folder, "events.db")))
        {
            var ids = Enumerable.Range(0, users).Select(_ => Guid.CreateVersion7()).ToArray();
            var metadata = new EventMetadata(null, null, null, null, DateTimeOffset.UtcNow);
            for (var version = 1; version <= versions; version++)
            {
                foreach (var id in ids)
                {
                    IUserEvent e = version == 1
                        ? new UserRegistered(id, $"{id:N}@example.org", "v1", DateTimeOffset.UtcNow)
                        : new UserRenamed(id, $"v{version - 1}", $"v{version}", DateTimeOffset.UtcNow);
                    await store.AppendAsync(UserStreams.For(id), ExpectedRevision.Any, [UserStreams.ToEventData(e, metadata)]);
                }
            }
        }
        await using var subscriber = await RawSubscriber.StartAsync(broker.AmqpUrl);
        await using var api = new CommandApi(folder, broker.AmqpUrl);
        _ = api.Services;
        await subscriber.WaitForAsync($"{users * versions} messages", received => received.Count >= users * versions, TimeSpan.FromSeconds(60));

        var arrived = subscriber.Received.Select(m => (Contracts.IUserMessage)m.Decoded).ToList();
        foreach (var user in arrived.GroupBy(m => m.UserId))
        {
            Assert.Equal(Enumerable.Range(1, versions).Select(v => (long)v), user.Select(m => m.Version));
        }
        // A backlog leaves in batches: while one is in flight, the next collects what the log holds.
        Assert.InRange(subscriber.Deliveries.Count, 1, users * versions / 2);
    }

    [Fact]
    public async Task While_idle_the_relay_stores_its_checkpoint_at_once_and_then_at_most_once_per_interval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var subscriber = await RawSubscriber.StartAsync(broker.AmqpUrl);
        await using var api = OnClock(clock);
        api.Settings["Relay:CheckpointInterval"] = "00:00:10";
        var checkpoints = api.Services.GetRequiredService<ICheckpointStore>();

        async Task<ulong> RegisterAndWaitPublishedAsync()
        {
            var id = Guid.CreateVersion7();
            (await api.RegisterAsync(id, $"{id:N}@example.org")).EnsureSuccessStatusCode();
            var stored = Assert.Single(await api.Store.ReadStreamAsync(UserStreams.For(id)));
            await subscriber.WaitForAsync($"the registration of {id} on the broker",
                received => received.Any(m => m.MessageId == stored.EventId), TimeSpan.FromSeconds(30));
            return stored.Position;
        }

        var first = await RegisterAndWaitPublishedAsync();
        await Eventually.UntilAsync("the checkpoint at the first publish, stored at once", () => checkpoints.LoadCheckpointAsync(OutboxRelay.CheckpointName),
            at => at == first);
        var last = first;
        for (var i = 0; i < 10; i++)
        {
            last = await RegisterAndWaitPublishedAsync();
        }
        Assert.Equal(first, await checkpoints.LoadCheckpointAsync(OutboxRelay.CheckpointName)); // the interval has not passed on this clock

        clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.UntilAsync("the checkpoint at the last publish once the interval passed", () => checkpoints.LoadCheckpointAsync(OutboxRelay.CheckpointName),
            at => at == last);
    }

    [Fact]
    public async Task A_lone_event_waits_for_the_linger_on_the_relays_clock_before_it_is_published()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var subscriber = await RawSubscriber.StartAsync(broker.AmqpUrl);
        await using var api = OnClock(clock);
        api.Settings["Relay:Linger"] = "00:00:01";
        var id = Guid.CreateVersion7();
        (await api.RegisterAsync(id, "linger@example.org")).EnsureSuccessStatusCode();
        var stored = Assert.Single(await api.Store.ReadStreamAsync(UserStreams.For(id)));

        var (advanced, step) = (TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        await Eventually.UntilAsync("the registration on the broker while the clock moves 100 ms at a time", () =>
        {
            var arrived = subscriber.Has(stored.EventId);
            if (!arrived)
            {
                clock.Advance(step);
                advanced += step;
            }
            return arrived;
        }, TimeSpan.FromSeconds(30));

        Assert.True(advanced >= TimeSpan.FromSeconds(1), $"published after {advanced} of the 1 s linger");
    }

    [Fact]
    public async Task A_publish_the_broker_never_confirms_is_published_again_once_the_confirm_timeout_passes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var subscriber = await RawSubscriber.StartAsync(broker.AmqpUrl);
        await using var api = OnClock(clock);
        var unconfirmed = new FirstPublishNeverConfirmed();
        api.Services.GetRequiredService<IBus>().ConnectPublishObserver(unconfirmed);

        var id = Guid.CreateVersion7();
        (await api.RegisterAsync(id, "unconfirmed@example.org")).EnsureSuccessStatusCode();
        var stored = Assert.Single(await api.Store.ReadStreamAsync(UserStreams.For(id)));
        await Eventually.UntilAsync("the relay's first publish, held unconfirmed", () => unconfirmed.Attempts == 1);
        clock.Advance(api.Services.GetRequiredService<IOptions<RelayOptions>>().Value.ConfirmTimeout);

        // The relay fails, pauses (the supervisor's first pause, on the same clock) and publishes again from its checkpoint.
        await Eventually.UntilAsync("the registration on the broker after the relay started again", () =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return subscriber.Has(stored.EventId);
        }, TimeSpan.FromSeconds(30));
        Assert.Equal(2, unconfirmed.Attempts);
        var checkpoints = api.Services.GetRequiredService<ICheckpointStore>();
        await Eventually.UntilAsync("the relay's checkpoint at the registration", () => checkpoints.LoadCheckpointAsync(OutboxRelay.CheckpointName),
            at => at == stored.Position);
    }

    /// <summary>Holds the first publish until it is cancelled, as a publish in flight when the broker died can stay; lets the others through.</summary>
    private sealed class FirstPublishNeverConfirmed : IPublishObserver
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task PrePublish<T>(PublishContext<T> context)
            where T : class =>
            Interlocked.Increment(ref _attempts) == 1 ? new TaskCompletionSource().Task.WaitAsync(context.CancellationToken) : Task.CompletedTask;

        public Task PostPublish<T>(PublishContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PublishFault<T>(PublishContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }

    /// <summary>A command service whose clock moves only when the test moves it; its relay's lease is not renewed meanwhile.</summary>
    private CommandApi OnClock(FakeTimeProvider clock)
    {
        var api = new CommandApi(rabbitMqUrl: broker.AmqpUrl) { Clock = clock };
        api.Settings["Relay:LeaseDuration"] = "01:00:00";
        return api;
    }

    private static HashSet<Guid> DistinctIds(IEnumerable<Published> received) => received.Select(m => m.MessageId).ToHashSet();

    private static async Task<List<Guid>> AppendRegistrationsAsync(string path, int count)
    {
        await using var store = new SqliteEventStore(path);
        var ids = new List<Guid>();
        var metadata = new EventMetadata(null, null, null, null, DateTimeOffset.UtcNow);
        for (var i = 0; i < count; i++)
        {
            var userId = Guid.CreateVersion7();
            var data = UserStreams.ToEventData(new UserRegistered(userId, $"{userId:N}@example.org", $"User {i}", DateTimeOffset.UtcNow), metadata);
            await store.AppendAsync(UserStreams.For(userId), ExpectedRevision.NoStream, [data]);
            ids.Add(data.EventId);
        }
        return ids;
    }
}
