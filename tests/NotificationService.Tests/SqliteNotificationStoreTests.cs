using Microsoft.Data.Sqlite;
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
        SqliteConnection.ClearAllPools();
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

    [Fact]
    public async Task A_file_written_before_trace_contexts_were_kept_opens_and_gains_them()
    {
        var path = Path.Combine(_folder, "old.db");
        await using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE notifications (
                    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, message_id TEXT NOT NULL, kind TEXT NOT NULL, recipient TEXT NOT NULL,
                    subject TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, last_error TEXT,
                    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, due_at INTEGER NOT NULL, sent_at INTEGER);
                INSERT INTO notifications VALUES ('0b5e2c8e-6a7d-4f0e-9d7c-3c2b1a0f9e8d', '1b5e2c8e-6a7d-4f0e-9d7c-3c2b1a0f9e8d',
                    '2b5e2c8e-6a7d-4f0e-9d7c-3c2b1a0f9e8d', 'welcome', 'ada@example.com', 'Welcome', 'Hello', 'pending', 0, NULL,
                    1767225600123, 1767225600123, 1767225600123, NULL);
                """;
            await create.ExecuteNonQueryAsync();
        }
        await using var store = new SqliteNotificationStore(path);
        var before = await store.FindAsync(Guid.Parse("0b5e2c8e-6a7d-4f0e-9d7c-3c2b1a0f9e8d"));
        Assert.Equal(("ada@example.com", null, null), (before?.Recipient, before?.TraceParent, before?.TraceState));
        var traced = NewNotification();
        Assert.True(await store.AddAsync(traced));
        Assert.Equal(traced, await store.FindAsync(traced.Id));
    }
}
