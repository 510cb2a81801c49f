using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// A whole account life, erasure included, through the single-process host with a capturing logger: afterwards the
/// address is in no store of the query and notification services, and no personal data was ever logged at Information+
/// or put in a 403/404 problem.
/// </summary>
public sealed class ErasureTests : IAsyncLifetime
{
    private readonly ServiceHost<SingleProcessHost.Program> _host = new("erasure", new Dictionary<string, string?>());
    private WebApplicationFactory<SingleProcessHost.Program> _logged = null!;

    public Task InitializeAsync()
    {
        _logged = _host.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddFakeLogging()));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _logged.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task After_erasure_the_address_is_in_no_view_or_notification_store_nor_ever_in_logs_or_denials()
    {
        var client = _logged.CreateClient().WithToken();
        var id = Guid.CreateVersion7();
        var (email, name, newName, reason) = ($"erin.{id:N}@example.org", $"Erin{id:N}", $"Renamed{id:N}", $"Reason{id:N}");
        await client.RegisterAsync(id, email, name);
        await client.PostAsync($"/users/{id}/name", new { displayName = newName });
        var version = await client.PostAsync($"/users/{id}/deactivate", new { reason });
        await client.ViewAtAsync(id, version);
        await client.EventuallyAsync($"/users/{id}/notifications", list => list.GetArrayLength() == 2);

        var stranger = _logged.CreateClient().WithToken(TestTokens.For("", Guid.NewGuid()));
        var denied = await (await stranger.GetAsync($"/users/{id}/notifications")).ProblemAsync(403);
        var missing = await (await client.GetAsync($"/users/{Guid.NewGuid()}")).ProblemAsync(404);
        Assert.All(new[] { denied.ToString(), missing.ToString() }, text => Assert.DoesNotContain("@", text, StringComparison.Ordinal));

        (await client.DeleteAsync($"/users/{id}")).EnsureSuccessStatusCode();
        await client.EventuallyAsync($"/users/{id}/notifications", list => list.EnumerateArray().All(n => n.GetProperty("recipient").GetString() == ""));
        await Eventually.UntilAsync("the view to be gone", async () => (int)(await client.GetAsync($"/users/{id}")).StatusCode, status => status == 404);
        var directory = await client.JsonAsync($"/users?search=erin.{id:N}");
        Assert.Equal(0, directory.GetProperty("items").GetArrayLength());

        foreach (var store in new[] { "views.db", "notifications.db" })
        {
            Checkpoint(Path.Combine(_host.DataFolder, store));
            foreach (var file in Directory.GetFiles(_host.DataFolder, store + "*"))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                foreach (var secret in new[] { email, name, newName })
                {
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{secret} in {Path.GetFileName(file)}");
                }
            }
        }
        var id2 = Guid.CreateVersion7();
        await client.RegisterAsync(id2, email, "Someone New");

        var logged = _logged.Services.GetFakeLogCollector().GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.NotEmpty(logged);
        foreach (var secret in new[] { email, name, newName, reason })
        {
            Assert.DoesNotContain(logged, r => $"{r.Message} {r.Exception}".Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Moves the WAL into the file, so what the file holds is what the store holds.</summary>
    private static void Checkpoint(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }
}
