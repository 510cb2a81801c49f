using System.Net;
using System.Net.Http.Json;
using Accounts.Contracts;
using Accounts.Contracts.Avro;
using Accounts.Messaging.Feed;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace QueryService.Tests;

/// <summary>
/// <see cref="GapRepair"/>'s rules, against a feed that holds given messages (the feed itself is tested over HTTP in the
/// command service's tests, and repair end to end in EndToEnd.Tests).
/// </summary>
public sealed class GapRepairTests
{
    private static readonly Guid User = Guid.CreateVersion7();
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Fact]
    public async Task A_gap_is_filled_from_the_feed_in_order_before_the_message()
    {
        var feed = new Feed(new UserRegistered(User, 1, At, "a@example.org", "A"), new UserRenamed(User, 2, At, "B"), new UserRenamed(User, 3, At, "C"));
        var applied = new List<long>();
        await Repair(feed).ApplyAsync(new UserRenamed(User, 3, At, "C"), Guid.NewGuid(), 3, Gate(applied, stored: 0), CancellationToken.None);
        Assert.Equal([1L, 2L, 3L], applied);
        Assert.Equal($"feed/users/{User}?fromVersion=1", feed.Asked.Single());
    }

    [Fact]
    public async Task A_gap_before_the_quick_retries_are_spent_is_only_retried()
    {
        var feed = new Feed();
        await Assert.ThrowsAsync<MessageOutOfOrderException>(() =>
            Repair(feed).ApplyAsync(new UserRenamed(User, 3, At, "C"), Guid.NewGuid(), 2, Gate([], stored: 1), CancellationToken.None));
        Assert.Empty(feed.Asked);
    }

    [Fact]
    public async Task A_gap_the_feed_cannot_fill_says_which_versions_it_lacks()
    {
        var feed = new Feed(new UserRenamed(User, 2, At, "B"));
        var applied = new List<long>();
        var error = await Assert.ThrowsAsync<GapNotRepairedException>(() =>
            Repair(feed).ApplyAsync(new UserRenamed(User, 4, At, "D"), Guid.NewGuid(), 3, Gate(applied, stored: 1), CancellationToken.None));
        Assert.Contains("UserRenamed v4", error.Message, StringComparison.Ordinal);
        Assert.Contains("versions 2 to 2 only", error.Message, StringComparison.Ordinal);
        Assert.Empty(applied);
    }

    /// <summary>A version gate over a stored version: applies the next, throws on a gap, as <see cref="VersionGate"/> does.</summary>
    private static Func<IUserMessage, Guid, CancellationToken, Task> Gate(List<long> applied, long stored) => (message, _, ct) =>
        VersionGate.ApplyAsync(message, (_, _) => Task.FromResult<long[]?>(applied.Count > 0 ? [applied[^1]] : stored > 0 ? [stored] : null),
            state => state[0], (_, _) => { applied.Add(message.Version); return Task.FromResult(true); }, ct);

    private static GapRepair Repair(Feed feed) => new(feed, AvroSingleObjectCodec.Latest,
        Options.Create(new FeedOptions { BaseUrl = new Uri("http://command/") }), NullLogger<GapRepair>.Instance);

    /// <summary>The feed's HTTP answer for one account: the messages it holds from the version asked for.</summary>
    private sealed class Feed(params IUserMessage[] messages) : HttpMessageHandler, IHttpClientFactory
    {
        public List<string> Asked { get; } = [];

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { BaseAddress = new Uri("http://command/") };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked.Add(request.RequestUri!.PathAndQuery.TrimStart('/'));
            var from = long.Parse(request.RequestUri.Query.Split('=')[1], null);
            var items = messages.Where(m => m.Version >= from)
                .Select(m => new FeedItem((ulong)m.Version, Guid.NewGuid(), m.GetType().Name, m.UserId, m.Version, AvroSingleObjectCodec.Latest.Encode(m)));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(new FeedPage([.. items], null, null), FeedJson.Default.FeedPage),
            });
        }
    }
}
