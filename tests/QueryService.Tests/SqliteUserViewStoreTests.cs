using QueryService.Infrastructure.Sqlite;
using QueryService.Views;

namespace QueryService.Tests;

public sealed class SqliteUserViewStoreTests : ViewStoreConformance
{
    private readonly string _folder = Directory.CreateTempSubdirectory("query-views-").FullName;

    private string DatabasePath => Path.Combine(_folder, "views.db");

    protected override Task<IUserViewStore> CreateStoreAsync() => Task.FromResult<IUserViewStore>(new SqliteUserViewStore(DatabasePath));

    protected override async Task DeleteStoreAsync()
    {
        await ((SqliteUserViewStore)Store).DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Views_survive_reopening_the_file()
    {
        var ada = Registered();
        await Store.TryWriteAsync(ada);
        await using var reopened = new SqliteUserViewStore(DatabasePath);
        Assert.Equal(ada, await reopened.FindAsync(ada.UserId));
    }

    [Fact]
    public async Task A_reopened_file_serves_the_generation_switched_to_and_the_old_table_is_gone()
    {
        var ada = Registered();
        await Store.TryWriteAsync(ada);
        var building = (await Generations.BeginAsync()).Building!.Value;
        var grace = Registered("grace@example.com", "Grace");
        await Generations.WriteBuildingAsync(building, [grace], 5);
        await using (var other = new SqliteUserViewStore(DatabasePath))
        {
            Assert.Equal(ada, await other.FindAsync(ada.UserId)); // another process serves generation 0 …
            await Generations.SwitchAsync(building);
            Assert.Equal(grace, await other.FindAsync(grace.UserId)); // … finds its table dropped and follows the pointer
        }
        await using var reopened = new SqliteUserViewStore(DatabasePath);
        Assert.Equal(GenerationNames.Of(building), reopened.ServedTable);
        Assert.Equal(grace, await reopened.FindAsync(grace.UserId));
    }
}
