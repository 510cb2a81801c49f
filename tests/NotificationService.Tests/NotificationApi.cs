using Accounts.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace NotificationService.Tests;

/// <summary>The notification service in memory (WebApplicationFactory) on its own SQLite file, with the given settings.</summary>
public sealed class NotificationApi : WebApplicationFactory<Program>
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("notification-api-").FullName;

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["ConnectionStrings:rabbitmq"] = "",
        ["ConnectionStrings:mongodb"] = "",
        ["Smtp:Host"] = "",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in TestTokens.Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("Notifications:SqlitePath", Path.Combine(Folder, "notifications.db"));
        builder.UseSetting("Notifications:PickupDirectory", Path.Combine(Folder, "outbox"));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true));
    }

    /// <summary>Every client this host creates sends the all-scopes test token (see <see cref="TestTokens"/>).</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.WithToken();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
