using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>
/// Blue/green rebuilds of the query views with the command and query services as processes over the shared RabbitMQ: under
/// live load (queries answer throughout, never 404 for an account that existed nor an older version than seen before, the
/// switch happens, the views end equal to what the accepted commands made), and with the query service killed by process
/// id mid-rebuild and started again on its data (the rebuild resumes and completes).
/// </summary>
public sealed class RebuildTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("e2e-rebuild-").FullName;
    private ServiceProcess _command = null!;

    private Dictionary<string, string> Environment { get; } = new() { ["Auth__SigningKey"] = TestTokens.SigningKey, ["RateLimiting__Enabled"] = "false" };

    public async Task InitializeAsync()
    {
        var broker = await RabbitMqFixture.Shared();
        Environment["ConnectionStrings__rabbitmq"] = broker.AmqpUrl;
        Environment["Messaging__Prefix"] = RabbitMqFixture.UniqueName("rebuild");
        _command = await ServiceProcess.StartAsync("CommandService", ServiceProcess.FreeUrl(),
            new Dictionary<string, string>(Environment) { ["EventStore__SqlitePath"] = Path.Combine(_folder, "events.db") });
    }

    public async Task DisposeAsync()
    {
        await _command.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<ServiceProcess> StartQueryAsync(int pageSize) => ServiceProcess.StartAsync("QueryService", ServiceProcess.FreeUrl(),
        new Dictionary<string, string>(Environment)
        {
            ["Query__SqlitePath"] = Path.Combine(_folder, "views.db"),
            ["Feed__BaseUrl"] = _command.Url.ToString(),
            ["Query__RebuildPageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    private static async Task<Guid[]> RegisterAsync(HttpClient command, HttpClient query, int users)
    {
        var ids = Enumerable.Range(0, users).Select(_ => Guid.CreateVersion7()).ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
        {
            await command.RegisterAsync(id, $"{id:N}@example.org", "Registered");
            await query.ViewAtAsync(id, 1);
        });
        return ids;
    }

    private static Task<JsonElement> RebuildWhenAsync(HttpClient query, Func<JsonElement, bool> done, string what) =>
        Eventually.UntilAsync($"the rebuild to be {what}", () => query.GetFromJsonAsync<JsonElement>("/admin/rebuild"), done, TimeSpan.FromMinutes(3));

    [Fact]
    public async Task Under_live_load_queries_never_lose_a_view_or_go_back_and_the_switch_ends_equal_to_the_commands()
    {
        await using var queryService = await StartQueryAsync(pageSize: 20);
        var (command, query) = (_command.Client(), queryService.Client());
        var ids = await RegisterAsync(command, query, 300);
        var expected = new ConcurrentDictionary<Guid, (long Version, string Name)>(ids.Select(id => KeyValuePair.Create(id, (1L, "Registered"))));
        var seen = new ConcurrentDictionary<Guid, long>();
        using var stop = new CancellationTokenSource();

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var id = ids[(Random.Shared.Next(ids.Length / 4) * 4) + w]; // each writer its own accounts: no concurrent writes to one
                var name = $"Writer {w} #{n}";
                var version = await command.PostAsync($"/users/{id}/name", new { displayName = name });
                expected[id] = (version, name);
            }
        })).ToList();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = ids[Random.Shared.Next(ids.Length)];
                var before = seen.GetValueOrDefault(id); // the newest version an answer that ended before this request showed
                var response = await query.GetAsync($"/users/{id}");
                Assert.Equal(200, (int)response.StatusCode);
                var version = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
                Assert.True(version >= before, $"user {id}: version {version} after {before} was seen");
                seen.AddOrUpdate(id, version, (_, old) => Math.Max(old, version));
            }
        })).ToList();

        Assert.Equal(202, (int)(await query.PostAsync("/admin/rebuild", null)).StatusCode);
        var done = await RebuildWhenAsync(query, s => s.GetProperty("state").GetString() is "done" or "failed", "done");
        await stop.CancelAsync();
        await Task.WhenAll(writers.Concat(readers));

        Assert.Equal(("done", 1), (done.GetProperty("state").GetString(), done.GetProperty("generation").GetInt32()));
        foreach (var (id, (version, name)) in expected)
        {
            var view = await query.ViewAtAsync(id, version);
            Assert.Equal((version, name), (view.GetProperty("version").GetInt64(), view.GetProperty("displayName").GetString()));
        }
    }

    [Fact]
    public async Task A_query_service_killed_mid_rebuild_resumes_the_rebuild_when_it_starts_again()
    {
        await using var queryService = await StartQueryAsync(pageSize: 1);
        var (command, query) = (_command.Client(), queryService.Client());
        var ids = await RegisterAsync(command, query, 1500);

        Assert.Equal(202, (int)(await query.PostAsync("/admin/rebuild", null)).StatusCode);
        await RebuildWhenAsync(query, s => s.GetProperty("state").GetString() == "running" && s.GetProperty("events").GetInt64() >= 10, "past its tenth page"); // pages before it are committed
        queryService.Kill();

        await queryService.RestartAsync(); // the same port, data and configuration
        var done = await RebuildWhenAsync(query, s => s.GetProperty("state").GetString() is "done" or "failed", "done after the restart");
        Assert.Equal("done", done.GetProperty("state").GetString());
        Assert.InRange(done.GetProperty("events").GetInt64(), 0, ids.Length - 1); // resumed from its position, not from the start
        foreach (var id in ids)
        {
            Assert.Equal("Registered", (await query.ViewAtAsync(id, 1)).GetProperty("displayName").GetString());
        }
    }
}
