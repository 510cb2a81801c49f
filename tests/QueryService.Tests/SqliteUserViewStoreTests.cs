using Microsoft.Data.Sqlite;
using QueryService.Infrastructure.Sqlite;
using QueryService.Views;

namespace QueryService.Tests;

public sealed class SqliteUserViewStoreTests : ViewStoreConformance
{
    private readonly string _folder = Directory.CreateTempSubdirectory("query-views-").FullName;

    private string DatabasePath => Path.Combine(_folder, "views.db");

    protected override Task<IUserViewStore> CreateStoreAsync() => Task.FromResult<IUserViewStore>(new SqliteUserViewStore(DatabasePath));

    protected override Task DeleteStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Views_survive_reopening_the_file()
    {
        var ada = Registered();
        await Store.TryWriteAsync(ada);
        Assert.Equal(ada, await new SqliteUserViewStore(DatabasePath).FindAsync(ada.UserId));
    }
}
