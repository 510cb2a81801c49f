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
}
