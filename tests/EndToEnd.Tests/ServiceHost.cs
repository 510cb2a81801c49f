using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EndToEnd.Tests;

/// <summary>
/// One service as its own host in the test process (its own configuration, store files, MassTransit bus), reached only
/// through HTTP. Its data folder is deleted when the host is disposed.
/// </summary>
/// <param name="name">Names the data folder.</param>
/// <param name="settings">Configuration, applied over the data paths.</param>
/// <param name="services">Changes to the host's services (e.g. the feed client's handler into another host).</param>
public sealed class ServiceHost<TProgram>(string name, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<TProgram>
    where TProgram : class
{
    public string Name { get; } = name;

    public string DataFolder { get; } = Directory.CreateTempSubdirectory($"e2e-{name}-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in TestTokens.Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("EventStore:SqlitePath", Path.Combine(DataFolder, "events.db"));
        builder.UseSetting("Query:SqlitePath", Path.Combine(DataFolder, "views.db"));
        builder.UseSetting("Notifications:SqlitePath", Path.Combine(DataFolder, "notifications.db"));
        builder.UseSetting("Notifications:PickupDirectory", Path.Combine(DataFolder, "outbox"));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataFolder, recursive: true);
    }
}
