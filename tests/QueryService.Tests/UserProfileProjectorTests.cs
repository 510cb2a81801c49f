using Accounts.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using QueryService.Infrastructure.Sqlite;
using QueryService.Projection;
using QueryService.Rebuild;
using QueryService.Views;
using ServiceDefaults;

namespace QueryService.Tests;

/// <summary>The projection over a real (SQLite) store: duplicates, older versions, gaps, counts, racing instances.</summary>
public sealed class UserProfileProjectorTests : IDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);
    private readonly Guid _ada = Guid.NewGuid();

    private readonly string _folder = Directory.CreateTempSubdirectory("query-projector-").FullName;
    private readonly SqliteUserViewStore _store;
    private readonly UserChanges _changes = new();
    private readonly UserProfileProjector _projector;

    public UserProfileProjectorTests()
    {
        _store = new SqliteUserViewStore(Path.Combine(_folder, "views.db"));
        _projector = new UserProfileProjector(_store, _changes, new LiveWritesGate(), new ProjectionProgress(TimeProvider.System), TimeProvider.System, NullLogger<UserProfileProjector>.Instance);
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private IUserMessage[] History(Guid id) =>
    [
        new UserRegistered(id, 1, At, "ada@example.com", "Ada"),
        new UserEmailChanged(id, 2, At.AddSeconds(1), "ada@example.com", "ada@lovelace.org"),
        new UserRenamed(id, 3, At.AddSeconds(2), "Countess Ada"),
        new UserDeactivated(id, 4, At.AddSeconds(3), "moved on"),
        new UserReactivated(id, 5, At.AddSeconds(4)),
        new UserDeactivated(id, 6, At.AddSeconds(5), "for good"),
    ];

    private static UserProfile Fold(IEnumerable<IUserMessage> messages) =>
        messages.Aggregate((UserProfile?)null, UserProfileEvolution.Evolve)!;

    [Fact]
    public async Task Messages_in_order_fold_into_the_view()
    {
        foreach (var message in History(_ada))
        {
            Assert.Equal(VersionGateOutcome.Applied, await _projector.ApplyAsync(message));
        }
        var view = await _store.FindAsync(_ada);
        Assert.Equal(new UserProfile(_ada, "ada@lovelace.org", "Countess Ada", UserStatus.Deactivated, 6, At, At.AddSeconds(5)), view);
    }

    [Fact]
    public async Task A_duplicate_is_acknowledged_and_changes_nothing()
    {
        var history = History(_ada);
        await _projector.ApplyAsync(history[0]);
        await _projector.ApplyAsync(history[1]);
        var before = await _store.FindAsync(_ada);
        Assert.Equal(VersionGateOutcome.Duplicate, await _projector.ApplyAsync(history[1]));
        Assert.Equal(VersionGateOutcome.Duplicate, await _projector.ApplyAsync(history[0]));
        Assert.Equal(before, await _store.FindAsync(_ada));
    }

    [Fact]
    public async Task An_older_version_arriving_late_changes_nothing()
    {
        var history = History(_ada);
        foreach (var message in history[..3])
        {
            await _projector.ApplyAsync(message);
        }
        Assert.Equal(VersionGateOutcome.Duplicate, await _projector.ApplyAsync(new UserRenamed(_ada, 2, At, "Stale name")));
        Assert.Equal("Countess Ada", (await _store.FindAsync(_ada))!.DisplayName);
    }

    [Fact]
    public async Task A_gap_is_a_retryable_failure_that_changes_nothing()
    {
        var history = History(_ada);
        await _projector.ApplyAsync(history[0]);
        var gap = await Assert.ThrowsAsync<MessageOutOfOrderException>(() => _projector.ApplyAsync(history[2]));
        Assert.Equal((3L, 1L), (gap.MessageVersion, gap.StoredVersion));
        Assert.Contains("arrived before v2", gap.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await _store.FindAsync(_ada))!.Version);
    }

    [Fact]
    public async Task A_change_before_the_registration_is_a_gap()
    {
        await Assert.ThrowsAsync<MessageOutOfOrderException>(() => _projector.ApplyAsync(History(_ada)[1]));
        Assert.Null(await _store.FindAsync(_ada));
    }

    [Fact]
    public async Task Counts_stay_exact_under_redelivery()
    {
        var bob = Guid.NewGuid();
        var messages = History(_ada).Take(4).Concat(History(bob).Take(1)).ToList();
        foreach (var message in messages.Concat(messages).Concat(messages))
        {
            await _projector.ApplyAsync(message);
        }
        Assert.Equal(new UserCounts(1, 1), await _store.CountAsync());
    }

    [Fact]
    public async Task Two_projectors_racing_over_shuffled_duplicated_messages_leave_the_fold()
    {
        await using var otherStore = new SqliteUserViewStore(Path.Combine(_folder, "views.db"));
        var other = new UserProfileProjector(otherStore, new UserChanges(), new LiveWritesGate(), new ProjectionProgress(TimeProvider.System), TimeProvider.System, NullLogger<UserProfileProjector>.Instance);
        var users = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        var deliveries = users.SelectMany(History).SelectMany(m => new[] { m, m }).OrderBy(_ => Random.Shared.Next()).ToList();
        await Task.WhenAll(
            Task.Run(() => DeliverWithRetriesAsync(_projector, deliveries.Where((_, i) => i % 2 == 0).ToList())),
            Task.Run(() => DeliverWithRetriesAsync(other, deliveries.Where((_, i) => i % 2 == 1).ToList())));
        foreach (var user in users)
        {
            Assert.Equal(Fold(History(user)), await _store.FindAsync(user));
        }
        Assert.Equal(new UserCounts(0, users.Count), await _store.CountAsync());
    }

    [Fact]
    public async Task An_applied_change_wakes_whoever_watches_that_user()
    {
        using var watcher = _changes.Watch(_ada);
        using var bystander = _changes.Watch(Guid.NewGuid());
        await _projector.ApplyAsync(History(_ada)[0]);
        Assert.True(watcher.Changed.IsCompleted);
        Assert.False(bystander.Changed.IsCompleted);
    }

    /// <summary>Like a broker's redelivery: a message that hit a gap goes to the back of the queue.</summary>
    private static async Task DeliverWithRetriesAsync(UserProfileProjector projector, List<IUserMessage> queue)
    {
        var pending = new Queue<IUserMessage>(queue);
        while (pending.TryDequeue(out var message))
        {
            try
            {
                await projector.ApplyAsync(message);
            }
            catch (MessageOutOfOrderException)
            {
                pending.Enqueue(message);
                await Task.Yield();
            }
        }
    }
}
