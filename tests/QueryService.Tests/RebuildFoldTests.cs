using Accounts.Contracts;
using QueryService.Projection;
using QueryService.Rebuild;
using QueryService.Views;

namespace QueryService.Tests;

/// <summary>The pure fold of a feed page over what the generation being built holds, and the switch's gate on live applies.</summary>
public sealed class RebuildFoldTests
{
    private static readonly Guid Ada = Guid.CreateVersion7();
    private static readonly Guid Grace = Guid.CreateVersion7();

    [Fact]
    public void A_page_folds_each_user_to_the_view_after_its_last_message()
    {
        var page = UserHistories.Of(Ada).Concat(UserHistories.Of(Grace).Take(2)).ToList();
        var changed = RebuildFold.Fold(new Dictionary<Guid, UserProfile>(), page).ToDictionary(p => p.UserId);
        Assert.Equal(UserHistories.Of(Ada).Aggregate((UserProfile?)null, UserProfileEvolution.Evolve), changed[Ada]);
        Assert.Equal(2, changed[Grace].Version);
    }

    [Fact]
    public void Versions_the_stored_view_has_already_change_nothing()
    {
        var history = UserHistories.Of(Ada);
        var stored = history.Take(3).Aggregate((UserProfile?)null, UserProfileEvolution.Evolve)!;
        Assert.Empty(RebuildFold.Fold(new Dictionary<Guid, UserProfile> { [Ada] = stored }, history.Take(3)));
        Assert.Equal(6, Assert.Single(RebuildFold.Fold(new Dictionary<Guid, UserProfile> { [Ada] = stored }, history)).Version);
    }

    [Fact]
    public void A_gap_in_the_page_fails_the_fold()
    {
        var history = UserHistories.Of(Ada);
        Assert.Throws<MessageOutOfOrderException>(() => RebuildFold.Fold(new Dictionary<Guid, UserProfile>(), [history[0], history[2]]));
    }

    [Fact]
    public void Only_users_whose_first_message_in_the_page_is_not_a_registration_are_loaded()
    {
        IUserMessage[] page = [UserHistories.Of(Ada)[0], UserHistories.Of(Grace)[3], UserHistories.Of(Ada)[1], UserHistories.Of(Grace)[4]];
        Assert.Equal([Grace], RebuildFold.UsersToLoad(page));
    }

    [Fact]
    public async Task The_gate_pauses_only_once_the_applies_inside_left_and_holds_new_ones_until_released()
    {
        using var gate = new LiveWritesGate();
        var inside = await gate.EnterAsync(CancellationToken.None);
        var pausing = gate.PauseAsync(CancellationToken.None);
        Assert.False(pausing.IsCompleted);
        var entering = gate.EnterAsync(CancellationToken.None);
        inside.Dispose();
        var pause = await pausing;
        Assert.False(entering.IsCompleted);
        pause.Dispose();
        (await entering).Dispose();
    }
}
