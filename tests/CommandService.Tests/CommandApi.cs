using System.Net.Http.Json;
using System.Text.Json;
using EventStore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CommandService.Tests;

/// <summary>The command service in memory (WebApplicationFactory) on its own SQLite file, deleted afterwards.</summary>
public class CommandApi : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("command-api-").FullName;

    public IEventStore Store => Services.GetRequiredService<IEventStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("EventStore:SqlitePath", Path.Combine(_folder, "events.db"));

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    public async Task<HttpResponseMessage> RegisterAsync(Guid id, string email, string name = "Ada") =>
        await CreateClient().PostAsJsonAsync("/users", new { id, email, displayName = name });

    public async Task<int> LogLengthAsync() => (await Store.ReadAllAsync(null, int.MaxValue)).Count;
}

/// <summary>Starting state: one registered user, Ada.</summary>
public sealed class ApiWithRegisteredUser : CommandApi
{
    public Guid Ada { get; } = Guid.CreateVersion7();

    public override async Task InitializeAsync()
    {
        (await RegisterAsync(Ada, "ada@example.com")).EnsureSuccessStatusCode();
    }
}

public static class HttpAssertions
{
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
