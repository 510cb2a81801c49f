using System.Net;
using System.Net.Http.Json;
using Accounts.Contracts;
using Accounts.Contracts.Avro;
using Accounts.Messaging.Feed;
using Accounts.Operations.Commands;
using Accounts.Operations.Rebuild;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Operations.Tests;

/// <summary>
/// What <c>make rebuild</c> does, against a query service (in-memory bus) whose feed holds given messages: it starts the
/// rebuild, follows its progress to done (or failed), and a second start while one runs follows that one.
/// </summary>
public sealed class RebuildTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    private static IEnumerable<IUserMessage> Histories(int users) => Enumerable.Range(0, users).Select(_ => Guid.CreateVersion7())
        .SelectMany(id => new IUserMessage[] { new UserRegistered(id, 1, At, $"{id:N}@example.org", "Ada"), new UserRenamed(id, 2, At, "Countess") });

    [Fact]
    public async Task The_rebuild_is_followed_until_done_with_progress_up_to_the_head()
    {
        await using var query = new QueryHost([.. Histories(200)]);
        var follower = new RebuildFollower(query.AdminClient(), new Uri("http://localhost/"), TimeSpan.FromMilliseconds(20));
        var seen = new List<RebuildProgress>();

        Assert.True(await follower.StartAsync(CancellationToken.None));
        var last = await follower.FollowAsync(seen.Add, CancellationToken.None);

        Assert.Equal(("done", 400UL, 400UL, 400L), (last.State, last.Position, last.Head, last.Events));
        Assert.All(seen.SkipLast(1), progress => Assert.True(progress.State is "running" or "switching", progress.State));
        Assert.Contains("events/s, ETA", RebuildCommand.Describe(last), StringComparison.Ordinal);
        var view = await query.AdminClient().GetFromJsonAsync<System.Text.Json.JsonElement>($"/users/{((UserRenamed)query.Feed[^1]).UserId}");
        Assert.Equal("Countess", view.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task A_feed_the_views_cannot_be_folded_from_ends_the_rebuild_as_failed_with_the_reason()
    {
        var id = Guid.CreateVersion7();
        await using var query = new QueryHost([new UserRegistered(id, 1, At, "a@example.org", "A"), new UserRenamed(id, 3, At, "C")]);
        var follower = new RebuildFollower(query.AdminClient(), new Uri("http://localhost/"), TimeSpan.FromMilliseconds(20));

        Assert.True(await follower.StartAsync(CancellationToken.None));
        var last = await follower.FollowAsync(_ => { }, CancellationToken.None);

        Assert.Equal("failed", last.State);
        Assert.Contains("arrived before v2", last.Error, StringComparison.Ordinal);
        Assert.True(await follower.StartAsync(CancellationToken.None)); // a failed rebuild may be started again
    }

    /// <summary>The query service on the in-memory bus with a feed that serves <see cref="Feed"/> at positions 1, 2, ….</summary>
    private sealed class QueryHost(IReadOnlyList<IUserMessage> feed) : WebApplicationFactory<QueryService.Program>
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("rebuild-").FullName;

        public IReadOnlyList<IUserMessage> Feed => feed;

        public HttpClient AdminClient() => CreateClient().WithToken();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:rabbitmq", "");
            builder.UseSetting("Query:SqlitePath", Path.Combine(_folder, "views.db"));
            builder.UseSetting("Query:RebuildPageSize", "64");
            builder.UseSetting("Feed:BaseUrl", "http://command/");
            foreach (var (key, value) in TestTokens.Settings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services => services.AddHttpClient(FeedClient.Name).ConfigurePrimaryHttpMessageHandler(() => new FeedHandler(feed)));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private sealed class FeedHandler(IReadOnlyList<IUserMessage> messages) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var after = query["after"] is { } text ? ulong.Parse(text, null) : 0UL;
            var items = messages.Select((m, i) => new FeedItem((ulong)i + 1, Guid.NewGuid(), m.GetType().Name, m.UserId, m.Version, AvroSingleObjectCodec.Latest.Encode(m)))
                .Where(item => item.Position > after).Take(int.Parse(query["limit"]!, null)).ToList();
            var page = new FeedPage(items, items.Count > 0 ? items[^1].Position : (after == 0 ? null : after), (ulong)messages.Count);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(page, FeedJson.Default.FeedPage) });
        }
    }
}
