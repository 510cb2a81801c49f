using QueryService.Views;

namespace QueryService.Tests;

/// <summary>
/// What every adapter of the view store port must do. Each test gets a fresh, empty store from <see cref="CreateStoreAsync"/>,
/// so counts and searches see only what the test wrote.
/// </summary>
public abstract partial class ViewStoreConformance : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);

    protected IUserViewStore Store { get; private set; } = null!;

    protected abstract Task<IUserViewStore> CreateStoreAsync();

    protected virtual Task DeleteStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public Task DisposeAsync() => DeleteStoreAsync();

    protected static UserProfile Registered(string email = "ada@example.com", string name = "Ada Lovelace", Guid? id = null) =>
        new(id ?? Guid.NewGuid(), email, name, UserStatus.Active, 1, Start, Start);

    protected static UserProfile Next(UserProfile profile, Func<UserProfile, UserProfile> change) =>
        change(profile) with { Version = profile.Version + 1, UpdatedAt = profile.UpdatedAt.AddSeconds(1) };

    [Fact]
    public async Task A_registration_is_stored_as_given()
    {
        var ada = Registered();
        Assert.True(await Store.TryWriteAsync(ada));
        Assert.Equal(ada, await Store.FindAsync(ada.UserId));
    }

    [Fact]
    public async Task An_unknown_user_has_no_view()
    {
        Assert.Null(await Store.FindAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_second_registration_changes_nothing()
    {
        var ada = Registered();
        await Store.TryWriteAsync(ada);
        Assert.False(await Store.TryWriteAsync(ada with { Email = "other@example.com" }));
        Assert.Equal(ada, await Store.FindAsync(ada.UserId));
    }

    [Fact]
    public async Task The_next_version_replaces_the_view_but_keeps_the_registration_time()
    {
        var ada = Registered();
        await Store.TryWriteAsync(ada);
        var renamed = Next(ada, p => p with { DisplayName = "Countess", Email = "countess@example.com", Status = UserStatus.Deactivated });
        Assert.True(await Store.TryWriteAsync(renamed));
        Assert.Equal(renamed, await Store.FindAsync(ada.UserId));
    }

    [Fact]
    public async Task A_stale_or_duplicate_version_changes_nothing()
    {
        var ada = Registered();
        await Store.TryWriteAsync(ada);
        var v2 = Next(ada, p => p with { DisplayName = "Two" });
        await Store.TryWriteAsync(v2);
        Assert.False(await Store.TryWriteAsync(v2 with { DisplayName = "Two again" }));
        Assert.False(await Store.TryWriteAsync(Next(ada, p => p with { DisplayName = "Stale two" })));
        Assert.Equal(v2, await Store.FindAsync(ada.UserId));
    }

    [Fact]
    public async Task A_version_past_the_next_one_changes_nothing()
    {
        var ada = Registered();
        await Store.TryWriteAsync(ada);
        Assert.False(await Store.TryWriteAsync(ada with { Version = 3, DisplayName = "Three" }));
        Assert.Equal(ada, await Store.FindAsync(ada.UserId));
    }

    [Fact]
    public async Task A_change_without_a_registration_changes_nothing()
    {
        var ghost = Registered() with { Version = 2 };
        Assert.False(await Store.TryWriteAsync(ghost));
        Assert.Null(await Store.FindAsync(ghost.UserId));
    }

    [Fact]
    public async Task Of_racing_writers_of_one_version_exactly_one_wins()
    {
        var ada = Registered();
        var registrations = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.TryWriteAsync(ada))));
        Assert.Single(registrations, applied => applied);
        var changes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Store.TryWriteAsync(Next(ada, p => p with { DisplayName = $"Writer {i}" })))));
        Assert.Single(changes, applied => applied);
        Assert.Equal(2, (await Store.FindAsync(ada.UserId))!.Version);
    }

    [Fact]
    public async Task Racing_version_conditioned_writes_to_many_views_are_decided_per_view()
    {
        var users = Enumerable.Range(0, 8).Select(i => Registered($"user{i}@example.com", $"User {i}")).ToList();
        var registrations = await Task.WhenAll(users.SelectMany(u => new[] { u, u with { DisplayName = "Late" } }).Select(u => Store.TryWriteAsync(u)));
        Assert.Equal(users.Count, registrations.Count(applied => applied));
        var attempts = users.SelectMany(u => Enumerable.Range(0, 4).Select(i => Next(u, p => p with { DisplayName = $"{p.DisplayName} writer {i}" })))
            .ToList();
        var applied = await Task.WhenAll(attempts.Select(attempt => Store.TryWriteAsync(attempt)));
        foreach (var user in users)
        {
            var winner = Assert.Single(attempts.Zip(applied), a => a.First.UserId == user.UserId && a.Second).First;
            Assert.Equal(2, winner.Version);
            Assert.Equal(winner, await Store.FindAsync(user.UserId));
        }
    }

    [Fact]
    public async Task Search_matches_a_prefix_of_email_or_display_name_ignoring_case()
    {
        var ada = Registered("ada@example.com", "Ada Lovelace");
        var grace = Registered("grace@navy.mil", "Grace Hopper");
        var elodie = Registered("e.dupont@example.fr", "Élodie Dupont");
        foreach (var p in new[] { ada, grace, elodie })
        {
            await Store.TryWriteAsync(p);
        }
        Assert.Equal([ada.UserId], await IdsAsync(new UserSearch("ADA@", null, 10)));
        Assert.Equal([grace.UserId], await IdsAsync(new UserSearch("grace h", null, 10)));
        Assert.Equal([elodie.UserId], await IdsAsync(new UserSearch("éLO", null, 10)));
        Assert.Empty(await IdsAsync(new UserSearch("lovelace", null, 10)));
        Assert.Equal(3, (await IdsAsync(new UserSearch(null, null, 10))).Count);
    }

    [Fact]
    public async Task Search_takes_special_characters_literally()
    {
        var dotted = Registered("a.b@example.com", "A.B");
        var plain = Registered("axb@example.com", "AxB");
        var percent = Registered("100%@example.com", "100% Sure");
        foreach (var p in new[] { dotted, plain, percent })
        {
            await Store.TryWriteAsync(p);
        }
        Assert.Equal([dotted.UserId], await IdsAsync(new UserSearch("a.", null, 10)));
        Assert.Equal([percent.UserId], await IdsAsync(new UserSearch("100%", null, 10)));
        Assert.Empty(await IdsAsync(new UserSearch("a_", null, 10)));
        Assert.Empty(await IdsAsync(new UserSearch("^a", null, 10)));
    }

    [Fact]
    public async Task Search_filters_by_status()
    {
        var active = Registered("active@example.com", "Active");
        var gone = Registered("gone@example.com", "Gone");
        await Store.TryWriteAsync(active);
        await Store.TryWriteAsync(gone);
        await Store.TryWriteAsync(Next(gone, p => p with { Status = UserStatus.Deactivated }));
        Assert.Equal([gone.UserId], await IdsAsync(new UserSearch(null, UserStatus.Deactivated, 10)));
        Assert.Equal([active.UserId], await IdsAsync(new UserSearch(null, UserStatus.Active, 10)));
        Assert.Empty(await IdsAsync(new UserSearch("gone", UserStatus.Active, 10)));
    }

    [Fact]
    public async Task Pages_after_a_position_walk_the_directory_in_name_then_id_order_without_repeats()
    {
        var names = new[] { "carol", "Alice", "bob", "alice", "Dave", "bob", "Erin" };
        var profiles = names.Select((n, i) => Registered($"user{i}@example.com", n)).ToList();
        foreach (var p in profiles)
        {
            await Store.TryWriteAsync(p);
        }
        var expected = profiles.OrderBy(p => p.NameKey, StringComparer.Ordinal).ThenBy(p => p.UserId.ToString(), StringComparer.Ordinal)
            .Select(p => p.UserId).ToList();
        var walked = new List<Guid>();
        DirectoryPosition? after = null;
        while (true)
        {
            var page = await Store.SearchAsync(new UserSearch(null, null, 2, after));
            walked.AddRange(page.Select(p => p.UserId));
            if (page.Count < 2)
            {
                break;
            }
            after = DirectoryPosition.Of(page[^1]);
        }
        Assert.Equal(expected, walked);
    }

    [Fact]
    public async Task Counts_count_active_and_deactivated_views()
    {
        Assert.Equal(new UserCounts(0, 0), await Store.CountAsync());
        var profiles = Enumerable.Range(0, 5).Select(i => Registered($"u{i}@example.com", $"U{i}")).ToList();
        foreach (var p in profiles)
        {
            await Store.TryWriteAsync(p);
        }
        await Store.TryWriteAsync(Next(profiles[0], p => p with { Status = UserStatus.Deactivated }));
        await Store.TryWriteAsync(Next(profiles[1], p => p with { Status = UserStatus.Deactivated }));
        Assert.Equal(new UserCounts(3, 2), await Store.CountAsync());
    }

    private async Task<List<Guid>> IdsAsync(UserSearch search) => (await Store.SearchAsync(search)).Select(p => p.UserId).ToList();
}
