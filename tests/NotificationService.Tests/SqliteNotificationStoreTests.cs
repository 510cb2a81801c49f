using NotificationService.Infrastructure.Sqlite;
using NotificationService.Notifications;

namespace NotificationService.Tests;

public sealed class SqliteNotificationStoreTests : NotificationStoreConformance
{
    private readonly string _folder = Directory.CreateTempSubdirectory("notification-store-").FullName;

    protected override Task<(INotificationStore, IContactStore)> CreateStoreAsync()
    {
        var store = new SqliteNotificationStore(Path.Combine(_folder, "notifications.db"));
        return Task.FromResult<(INotificationStore, IContactStore)>((store, store));
    }

    protected override async Task DeleteStoreAsync()
    {
        await ((SqliteNotificationStore)Notifications).DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Pending_notifications_survive_reopening_the_file()
    {
        var welcome = NewNotification();
        await Notifications.AddAsync(welcome);
        await using var reopened = new SqliteNotificationStore(Path.Combine(_folder, "notifications.db"));
        Assert.Equal(welcome.Id, (await reopened.ClaimNextDueAsync(Now, Now.AddMinutes(1)))?.Id);
    }
}
