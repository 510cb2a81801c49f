using Accounts.Domain;
using CommandService.Application;
using CommandService.Infrastructure;
using EventStore;

namespace CommandService.Tests;

/// <summary>
/// The command service remembers what it last read or wrote of an account and an address, and decides on that without
/// reading; another instance writing the same streams makes what it remembers stale, and the command must end as if it
/// had read the stream first. Two handlers on one store are two such instances.
/// </summary>
public sealed class AccountCacheTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("account-cache-").FullName;
    private CommandInstance _a = null!, _b = null!;

    public Task InitializeAsync()
    {
        (_a, _b) = (new CommandInstance(_folder), new CommandInstance(_folder));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Email() => $"cache.{Guid.NewGuid():N}@example.org";

    private static async Task<Guid> RegisterAsync(CommandInstance instance, string? email = null)
    {
        var id = Guid.CreateVersion7();
        Assert.IsType<CommandOutcome.Accepted>(await instance.RunAsync(new RegisterUser(id, email ?? Email(), "Casey Cache")));
        return id;
    }

    [Fact]
    public async Task A_command_on_a_state_another_instance_changed_since_is_decided_again_on_the_stream()
    {
        var id = await RegisterAsync(_a);
        Assert.Equal(1, _a.Cache.Account(id)?.State.Version);
        Assert.IsType<CommandOutcome.Accepted>(await _b.RunAsync(new RenameUser(id, "Renamed By B")));

        // A remembers version 1; the caller knows version 2 (from B) and says so in If-Match.
        var outcome = Assert.IsType<CommandOutcome.Accepted>(await _a.RunAsync(new RenameUser(id, "Renamed By A"), 2));

        Assert.Equal(3, outcome.Version);
        Assert.Equal(("Renamed By A", 3), ((await _a.ReadAsync(id)).DisplayName, (await _a.ReadAsync(id)).Version));
        Assert.Equal(3, _a.Cache.Account(id)?.State.Version);
    }

    [Fact]
    public async Task A_rejection_on_a_remembered_state_is_checked_against_the_stream_first()
    {
        var id = await RegisterAsync(_a);
        Assert.IsType<CommandOutcome.Accepted>(await _a.RunAsync(new DeactivateUser(id, "a break")));
        Assert.IsType<CommandOutcome.Accepted>(await _b.RunAsync(new ReactivateUser(id)));

        // A remembers the account as deactivated; the stream says active again.
        var outcome = Assert.IsType<CommandOutcome.Accepted>(await _a.RunAsync(new RenameUser(id, "Back Again")));

        Assert.Equal(4, outcome.Version);
        Assert.Equal(UserStatus.Active, (await _a.ReadAsync(id)).Status);
    }

    [Fact]
    public async Task A_conflict_on_every_attempt_answers_as_a_concurrent_write_and_forgets_the_account()
    {
        var conflicting = new ConflictingStore();
        await using var racing = new CommandInstance(_folder, store => conflicting.Over(store));
        var id = await RegisterAsync(racing);
        Assert.NotNull(racing.Cache.Account(id));

        conflicting.UserAppendsConflict = true;
        Assert.IsType<CommandOutcome.ConcurrentWrite>(await racing.RunAsync(new RenameUser(id, "Never Stored")));

        Assert.Null(racing.Cache.Account(id));
        Assert.Equal(2, conflicting.UserConflicts); // the remembered state's attempt, then the fresh read's
        Assert.Equal("Casey Cache", (await racing.ReadAsync(id)).DisplayName);
    }

    [Fact]
    public async Task Erasing_forgets_the_account_and_its_key()
    {
        var id = await RegisterAsync(_a);
        Assert.NotNull(_a.Cache.Key(id));

        Assert.IsType<CommandOutcome.Accepted>(await _a.RunAsync(new EraseUser(id)));

        Assert.Null(_a.Cache.Key(id));
        Assert.Null(_a.Cache.Account(id));
        Assert.Null(await _a.Keys.ForReadAsync(id, CancellationToken.None));
        var rejected = Assert.IsType<CommandOutcome.Rejected>(await _a.RunAsync(new RenameUser(id, "After Erasure")));
        Assert.Equal(Rule.AccountErased, rejected.Rejection.Rule);
    }

    [Fact]
    public async Task An_erasure_by_another_instance_wins_and_its_UserErased_makes_the_relay_forget_the_key()
    {
        var email = Email();
        var id = await RegisterAsync(_a, email);
        Assert.IsType<CommandOutcome.Accepted>(await _b.RunAsync(new EraseUser(id)));
        Assert.NotNull(_a.Cache.Key(id)); // A cannot know yet

        var rejected = Assert.IsType<CommandOutcome.Rejected>(await _a.RunAsync(new RenameUser(id, "After Erasure")));
        Assert.Equal(Rule.AccountErased, rejected.Rejection.Rule);

        var stored = await _a.Store.ReadStreamAsync(UserStreams.For(id));
        Assert.IsType<UserErased>(await _a.Keys.OpenAsync(stored[^1], CancellationToken.None)); // the relay passes the erasure
        Assert.Null(_a.Cache.Key(id));
        var registered = Assert.IsType<UserRegistered>(await _a.Keys.OpenAsync(stored[0], CancellationToken.None));
        Assert.Equal(PersonalData.Erased, registered.Email); // relayed again (after a crash), it carries no personal data
        Assert.IsType<CommandOutcome.Accepted>(await _a.RunAsync(new RegisterUser(Guid.CreateVersion7(), email, "Next Holder")));
    }

    [Fact]
    public async Task A_read_across_accounts_opens_their_events_with_the_keys_it_reads_but_does_not_remember_them()
    {
        var email = Email();
        var (other, erased, own) = (await RegisterAsync(_b, email), await RegisterAsync(_b), await RegisterAsync(_a));
        Assert.IsType<CommandOutcome.Accepted>(await _b.RunAsync(new EraseUser(erased)));
        var log = (await _a.Store.ReadAllAsync(null, 100)).Where(e => e.Stream.StartsWith(UserStreams.Prefix, StringComparison.Ordinal)).ToList();

        var opened = await _a.Keys.OpenScanAsync(log, CancellationToken.None);

        Assert.Equal(log.Select(e => e.EventType), opened.Select(e => e.GetType().Name));
        var registered = opened.OfType<UserRegistered>().ToDictionary(e => e.UserId);
        Assert.Equal(email, registered[other].Email);
        Assert.Equal(PersonalData.Erased, registered[erased].Email);
        Assert.Null(_a.Cache.Key(other)); // read for the scan only
        Assert.NotNull(_a.Cache.Key(own)); // what this instance's commands use stays
    }

    [Fact]
    public async Task An_address_another_instance_released_is_found_free()
    {
        var email = Email();
        var first = await RegisterAsync(_a, email); // A remembers the address as held by the first account
        Assert.IsType<CommandOutcome.Accepted>(await _b.RunAsync(new ChangeEmail(first, Email())));

        var second = Guid.CreateVersion7();
        Assert.IsType<CommandOutcome.Accepted>(await _a.RunAsync(new RegisterUser(second, email, "Second Holder")));
        Assert.Equal(email, (await _a.ReadAsync(second)).Email);
    }

    [Fact]
    public async Task An_address_another_instance_reserved_is_not_given_twice()
    {
        var email = Email();
        var first = await RegisterAsync(_a, email);
        Assert.IsType<CommandOutcome.Accepted>(await _a.RunAsync(new ChangeEmail(first, Email()))); // A remembers the address as free
        await RegisterAsync(_b, email);

        var rejected = Assert.IsType<CommandOutcome.Rejected>(await _a.RunAsync(new RegisterUser(Guid.CreateVersion7(), email, "Third")));
        Assert.Equal(Rule.EmailTaken, rejected.Rejection.Rule);
    }

    /// <summary>An event store whose appends to account streams meet a concurrent writer every time, while asked to.</summary>
    private sealed class ConflictingStore
    {
        public bool UserAppendsConflict { get; set; }
        public int UserConflicts { get; private set; }

        public IEventStore Over(IEventStore inner) => new Store(inner, this);

        private sealed class Store(IEventStore inner, ConflictingStore owner) : IEventStore
        {
            public Task<AppendResult> AppendAsync(string stream, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
            {
                if (owner.UserAppendsConflict && stream.StartsWith(UserStreams.Prefix, StringComparison.Ordinal))
                {
                    owner.UserConflicts++;
                    throw new WrongExpectedRevisionException(stream, expected, null);
                }
                return inner.AppendAsync(stream, expected, events, cancellationToken);
            }

            public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
                inner.ReadStreamAsync(stream, fromRevision, maxCount, cancellationToken);

            public Task<IReadOnlyList<StoredEvent>> ReadAllAsync(ulong? after, int maxCount, CancellationToken cancellationToken = default) =>
                inner.ReadAllAsync(after, maxCount, cancellationToken);

            public Task<ulong?> ReadHeadAsync(CancellationToken cancellationToken = default) => inner.ReadHeadAsync(cancellationToken);

            public IAsyncEnumerable<StoredEvent> FollowAllAsync(ulong? after, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
                inner.FollowAllAsync(after, streamPrefix, cancellationToken);
        }
    }
}
