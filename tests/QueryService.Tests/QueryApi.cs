using Accounts.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Contracts;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace QueryService.Tests;

/// <summary>
/// The query service in memory (WebApplicationFactory) on its own SQLite file. Without a broker setting it runs MassTransit's
/// in-memory transport; <see cref="BrokerUrl"/> puts it on a real RabbitMQ, behind this test process's messaging prefix.
/// Several instances may share one file.
/// </summary>
public class QueryApi(string? folder = null, string? brokerUrl = null) : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly bool _ownsFolder = folder is null;

    public string Folder { get; } = folder ?? Directory.CreateTempSubdirectory("query-api-").FullName;

    public string? BrokerUrl { get; } = brokerUrl;

    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in TestTokens.Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("Query:SqlitePath", Path.Combine(Folder, "views.db"));
        builder.UseSetting("ConnectionStrings:rabbitmq", BrokerUrl ?? "");
        builder.UseSetting("Messaging:Prefix", BrokerUrl is null ? "" : RabbitMqFixture.MessagingPrefix);
        builder.UseSetting("ConnectionStrings:mongodb", "");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        // The host is up only once its queues are bound, so nothing a test publishes right after start is lost.
        builder.ConfigureServices(services => services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true));
    }

    /// <summary>Every client this host creates sends the all-scopes test token (see <see cref="TestTokens"/>).</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.WithToken();
    }

    public virtual Task InitializeAsync()
    {
        _ = Server; // starts the host, and with it the bus
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_ownsFolder)
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    public Task PublishAsync<T>(T message)
        where T : class, IUserMessage => Services.GetRequiredService<IBus>().Publish(message);

    public async Task<JsonElement> UserAsync(Guid id, long minVersion)
    {
        var response = await CreateClient().GetAsync(new Uri($"/users/{id}?minVersion={minVersion}", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"GET /users/{id}?minVersion={minVersion}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
