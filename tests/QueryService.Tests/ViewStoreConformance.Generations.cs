using QueryService.Views;

namespace QueryService.Tests;

/// <summary>The generation cases of the view store conformance suite: what a blue/green rebuild relies on.</summary>
public abstract partial class ViewStoreConformance
{
    protected IViewGenerations Generations => (IViewGenerations)Store;

    [Fact]
    public async Task A_new_store_serves_generation_0_and_builds_none()
    {
        Assert.Equal(new GenerationPointer(0, null, null), await Generations.ReadPointerAsync());
    }

    [Fact]
    public async Task A_generation_being_built_is_not_served_until_the_switch()
    {
        var ada = Registered("ada@example.com", "Ada");
        var grace = Registered("grace@example.com", "Grace");
        await Store.TryWriteAsync(ada);
        var building = (await Generations.BeginAsync()).Building!.Value;
        await Generations.WriteBuildingAsync(building, [grace], 7);

        Assert.Null(await Store.FindAsync(grace.UserId));
        Assert.Equal(ada, await Store.FindAsync(ada.UserId));
        Assert.Equal(new UserCounts(1, 0), await Store.CountAsync());

        await Generations.SwitchAsync(building);
        Assert.Equal(grace, await Store.FindAsync(grace.UserId));
        Assert.Null(await Store.FindAsync(ada.UserId));
        Assert.Equal([grace.UserId], (await Store.SearchAsync(new UserSearch(null, null, 10))).Select(p => p.UserId));
        Assert.Equal(new GenerationPointer(building, null, null), await Generations.ReadPointerAsync());
    }

    [Fact]
    public async Task Beginning_again_resumes_the_generation_being_built_at_the_position_it_reached()
    {
        var ada = Registered();
        var first = await Generations.BeginAsync();
        await Generations.WriteBuildingAsync(first.Building!.Value, [ada], 42);

        var again = await Generations.BeginAsync();
        Assert.Equal(new GenerationPointer(0, first.Building, 42UL), again);
        Assert.Equal(ada, (await Generations.FindBuildingAsync(again.Building!.Value, [ada.UserId, Guid.NewGuid()]))[ada.UserId]);
    }

    [Fact]
    public async Task A_building_write_replaces_a_lower_version_only()
    {
        var ada = Registered();
        var renamed = Next(ada, p => p with { DisplayName = "Countess" });
        var building = (await Generations.BeginAsync()).Building!.Value;
        await Generations.WriteBuildingAsync(building, [renamed], 2);
        await Generations.WriteBuildingAsync(building, [ada], 3);
        Assert.Equal(renamed, (await Generations.FindBuildingAsync(building, [ada.UserId]))[ada.UserId]);
        await Generations.WriteBuildingAsync(building, [Next(renamed, p => p with { Status = UserStatus.Deactivated })], 4);
        Assert.Equal(3, (await Generations.FindBuildingAsync(building, [ada.UserId]))[ada.UserId].Version);
    }

    [Fact]
    public async Task Live_writes_after_the_switch_go_to_the_new_generation_and_the_next_build_starts_empty()
    {
        var ada = Registered();
        await Store.TryWriteAsync(ada);
        var building = (await Generations.BeginAsync()).Building!.Value;
        await Generations.WriteBuildingAsync(building, [ada], 1);
        await Generations.SwitchAsync(building);

        var renamed = Next(ada, p => p with { DisplayName = "Countess" });
        Assert.True(await Store.TryWriteAsync(renamed));
        Assert.Equal(renamed, await Store.FindAsync(ada.UserId));

        var next = (await Generations.BeginAsync()).Building!.Value;
        Assert.NotEqual(building, next);
        Assert.Empty(await Generations.FindBuildingAsync(next, [ada.UserId]));
    }

    [Fact]
    public async Task Only_the_generation_being_built_can_be_written_or_switched_to()
    {
        var building = (await Generations.BeginAsync()).Building!.Value;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Generations.WriteBuildingAsync(building + 1, [Registered()], 1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Generations.SwitchAsync(building + 1));
        Assert.Equal(new GenerationPointer(0, building, null), await Generations.ReadPointerAsync());
    }
}
