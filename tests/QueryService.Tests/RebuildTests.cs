using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Contracts;
using Accounts.Messaging.Feed;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using QueryService.Infrastructure.Sqlite;
using QueryService.Projection;
using QueryService.Rebuild;
using QueryService.Views;

namespace QueryService.Tests;

/// <summary>
/// <c>POST /admin/rebuild</c> on a query service (in-memory bus) whose feed is a <see cref="FeedLog"/>: the new generation
/// is built from the feed in pages, switched to when caught up, and live changes made meanwhile are in it.
/// </summary>
public sealed class RebuildTests : IAsyncLifetime
{
    private readonly FeedLog _feed = new();
    private readonly RebuildApi _api;

    public RebuildTests() => _api = new RebuildApi(_feed);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _feed.Release();
        await ((IAsyncLifetime)_api).DisposeAsync();
        _feed.Dispose();
    }

    private sealed class RebuildApi : QueryApi
    {
        private readonly FeedLog _feed;

        public RebuildApi(FeedLog feed, string? folder = null) : base(folder)
        {
            _feed = feed;
            Settings["Feed:BaseUrl"] = "http://command/";
            Settings["Query:RebuildPageSize"] = "50";
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.AddHttpClient(FeedClient.Name).ConfigurePrimaryHttpMessageHandler(() => _feed));
        }
    }

    private static IEnumerable<IUserMessage> Interleaved(IEnumerable<Guid> users) =>
        users.SelectMany(id => UserHistories.Of(id).Select((message, i) => (message, i))).OrderBy(m => m.i).Select(m => m.message);

    private static UserProfile Folded(Guid id) => UserHistories.Of(id).Aggregate((UserProfile?)null, UserProfileEvolution.Evolve)!;

    private async Task<JsonElement> StatusWhenAsync(string state) =>
        await Eventually.UntilAsync($"the rebuild to be {state}",
            async () => await _api.CreateClient().GetFromJsonAsync<JsonElement>("/admin/rebuild"),
            status => status.GetProperty("state").GetString() == state);

    [Fact]
    public async Task A_rebuild_folds_the_whole_feed_into_a_new_generation_and_serves_it()
    {
        var users = Enumerable.Range(0, 100).Select(_ => Guid.CreateVersion7()).ToList();
        _feed.Append(Interleaved(users));
        var start = await _api.CreateClient().PostAsync("/admin/rebuild", null);
        Assert.Equal(202, (int)start.StatusCode);

        var done = await StatusWhenAsync("done");
        Assert.Equal((600UL, 600UL, 600L), (done.GetProperty("position").GetUInt64(), done.GetProperty("head").GetUInt64(), done.GetProperty("events").GetInt64()));
        var store = _api.Services.GetRequiredService<IUserViewStore>();
        foreach (var id in users)
        {
            Assert.Equal(Folded(id), await store.FindAsync(id));
        }
        Assert.Equal(new GenerationPointer(1, null, null), await _api.Services.GetRequiredService<IViewGenerations>().ReadPointerAsync());
    }

    [Fact]
    public async Task A_second_rebuild_while_one_runs_is_a_conflict_and_queries_keep_the_served_views()
    {
        var served = Guid.CreateVersion7();
        await _api.PublishAsync(new UserRegistered(served, 1, UserHistories.At, "served@example.com", "Served"));
        await _api.UserAsync(served, 1);
        _feed.Append(new UserRegistered(served, 1, UserHistories.At, "served@example.com", "Served"));
        _feed.Append(Interleaved(Enumerable.Range(0, 20).Select(_ => Guid.CreateVersion7())));
        _feed.Hold(50);

        Assert.Equal(202, (int)(await _api.CreateClient().PostAsync("/admin/rebuild", null)).StatusCode);
        await Eventually.UntilAsync("the rebuild to wait for its second page", () => _feed.Waiting);
        await (await _api.CreateClient().PostAsync("/admin/rebuild", null)).ProblemAsync(409);
        Assert.Equal("running", (await _api.CreateClient().GetFromJsonAsync<JsonElement>("/admin/rebuild")).GetProperty("state").GetString());
        Assert.Equal("Served", (await _api.UserAsync(served, 1)).GetProperty("displayName").GetString());

        _feed.Release();
        await StatusWhenAsync("done");
        Assert.Equal("Served", (await _api.UserAsync(served, 1)).GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Live_changes_made_while_the_rebuild_runs_are_in_the_generation_it_switches_to()
    {
        var ada = Guid.CreateVersion7();
        var registered = new UserRegistered(ada, 1, UserHistories.At, "ada@example.com", "Ada");
        _feed.Append(registered);
        await _api.PublishAsync(registered);
        await _api.UserAsync(ada, 1);
        _feed.Append(Interleaved(Enumerable.Range(0, 20).Select(_ => Guid.CreateVersion7())));
        _feed.Hold(50);
        Assert.Equal(202, (int)(await _api.CreateClient().PostAsync("/admin/rebuild", null)).StatusCode);
        await Eventually.UntilAsync("the rebuild to wait for its second page", () => _feed.Waiting);

        var renamed = new UserRenamed(ada, 2, UserHistories.At.AddSeconds(1), "Countess");
        _feed.Append(renamed);
        await _api.PublishAsync(renamed);
        Assert.Equal("Countess", (await _api.UserAsync(ada, 2)).GetProperty("displayName").GetString());

        _feed.Release();
        await StatusWhenAsync("done");
        Assert.Equal("Countess", (await _api.UserAsync(ada, 2)).GetProperty("displayName").GetString());
        var later = new UserRenamed(ada, 3, UserHistories.At.AddSeconds(2), "Ada again");
        await _api.PublishAsync(later);
        Assert.Equal("Ada again", (await _api.UserAsync(ada, 3)).GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task A_host_that_starts_with_a_generation_half_built_resumes_it_from_its_position()
    {
        var users = Enumerable.Range(0, 30).Select(_ => Guid.CreateVersion7()).ToList();
        _feed.Append(Interleaved(users));
        await using (var store = new SqliteUserViewStore(Path.Combine(_api.Folder, "views.db")))
        {
            var building = (await store.BeginAsync()).Building!.Value;
            var firstPage = Interleaved(users).Take(40).ToList();
            await store.WriteBuildingAsync(building, RebuildFold.Fold(new Dictionary<Guid, UserProfile>(), firstPage), 40);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var done = await StatusWhenAsync("done");
        Assert.Equal(180L - 40, done.GetProperty("events").GetInt64());
        var views = _api.Services.GetRequiredService<IUserViewStore>();
        foreach (var id in users)
        {
            Assert.Equal(Folded(id), await views.FindAsync(id));
        }
    }

    [Fact]
    public async Task Without_a_feed_a_rebuild_cannot_start()
    {
        IAsyncLifetime api = new QueryApi();
        try
        {
            await api.InitializeAsync();
            var client = ((QueryApi)api).CreateClient();
            await (await client.PostAsync("/admin/rebuild", null)).ProblemAsync(503);
            Assert.Equal("idle", (await client.GetFromJsonAsync<JsonElement>("/admin/rebuild")).GetProperty("state").GetString());
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}
