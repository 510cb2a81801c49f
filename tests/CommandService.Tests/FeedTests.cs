using System.Net.Http.Json;
using Accounts.Contracts.Avro;
using Accounts.Messaging.Feed;
using Accounts.Testing;
using Contracts = Accounts.Contracts;

namespace CommandService.Tests;

/// <summary>The integration feed over HTTP: the relay's messages, in log order, paged, with the head; one account's from a version.</summary>
public sealed class FeedTests(RabbitMqFixture broker) : IClassFixture<RabbitMqFixture>
{
    [Fact]
    public async Task The_feed_pages_every_account_message_in_log_order_up_to_the_head()
    {
        await using var api = new CommandApi();
        var client = api.CreateClient();
        var (ada, bob) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        (await api.RegisterAsync(ada, "ada@example.org")).EnsureSuccessStatusCode();
        (await api.RegisterAsync(bob, "bob@example.org", "Bob")).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/users/{ada}/name", new { displayName = "Ada L." })).EnsureSuccessStatusCode();

        var items = new List<FeedItem>();
        ulong? after = null;
        FeedPage page;
        do
        {
            page = (await client.GetFromJsonAsync<FeedPage>($"/feed?limit=2{(after is { } a ? $"&after={a}" : "")}", FeedJson.Default.Options))!;
            Assert.True(page.Items.Count <= 2);
            items.AddRange(page.Items);
            after = page.Next;
        }
        while (page.Next != page.Head);

        Assert.Equal(await api.Store.ReadHeadAsync(), page.Head);
        Assert.Equal([(ada, 1L), (bob, 1L), (ada, 2L)], items.Select(item => (item.UserId, item.Version)));
        Assert.True(items.Zip(items.Skip(1)).All(pair => pair.First.Position < pair.Second.Position));
        var messages = items.Select(item => AvroSingleObjectCodec.Latest.Decode(item.Data)).ToList();
        Assert.Equal(["UserRegistered", "UserRegistered", "UserRenamed"], items.Select(item => item.MessageType));
        Assert.Equal("Ada L.", Assert.IsType<Contracts.UserRenamed>(messages[2]).DisplayName);
    }

    [Fact]
    public async Task One_accounts_feed_starts_at_the_version_asked_for()
    {
        await using var api = new CommandApi();
        var client = api.CreateClient();
        var ada = Guid.CreateVersion7();
        (await api.RegisterAsync(ada, "ada@example.org")).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/users/{ada}/name", new { displayName = "Ada L." })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/users/{ada}/deactivate", new { reason = "left" })).EnsureSuccessStatusCode();

        var page = (await client.GetFromJsonAsync<FeedPage>($"/feed/users/{ada}?fromVersion=2", FeedJson.Default.Options))!;

        Assert.Equal([2L, 3L], page.Items.Select(item => item.Version));
        Assert.IsType<Contracts.UserDeactivated>(AvroSingleObjectCodec.Latest.Decode(page.Items[1].Data));
        Assert.Empty((await client.GetFromJsonAsync<FeedPage>($"/feed/users/{Guid.CreateVersion7()}", FeedJson.Default.Options))!.Items);
    }

    [Theory]
    [InlineData("/feed?limit=0")]
    [InlineData("/feed?limit=5001")]
    [InlineData("/feed/users/not-a-guid")]
    [InlineData("/feed/users/0196b7a6-0000-7000-8000-000000000000?fromVersion=0")]
    public async Task A_bad_page_or_account_is_a_400(string path)
    {
        await using var api = new CommandApi();
        Assert.Equal(400, (int)(await api.CreateClient().GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_feed_message_is_the_message_the_relay_published_byte_for_byte()
    {
        // A prefix of its own: the relay tests' subscribers (same process, run in parallel) must not see this registration.
        var prefix = RabbitMqFixture.UniqueName("feed");
        await using var subscriber = await RawSubscriber.StartAsync(broker.AmqpUrl, prefix);
        await using var api = new CommandApi(rabbitMqUrl: broker.AmqpUrl);
        api.Settings["Messaging:Prefix"] = prefix;
        var id = Guid.CreateVersion7();
        (await api.RegisterAsync(id, "feed@example.org")).EnsureSuccessStatusCode();
        var item = Assert.Single((await api.CreateClient().GetFromJsonAsync<FeedPage>($"/feed/users/{id}", FeedJson.Default.Options))!.Items);

        await subscriber.WaitForAsync("the registration on the broker",
            received => received.Any(m => m.MessageId == item.MessageId), TimeSpan.FromSeconds(30));

        var published = subscriber.Received.Single(m => m.MessageId == item.MessageId);
        Assert.Equal(published.Message.Body, item.Data);
    }

    [Fact]
    public async Task The_progress_names_the_head_and_the_relays_checkpoint_once_it_caught_up()
    {
        await using var api = new CommandApi();
        (await api.RegisterAsync(Guid.CreateVersion7(), "progress@example.org")).EnsureSuccessStatusCode();
        var head = await api.Store.ReadHeadAsync();

        var progress = await Eventually.UntilAsync("the relay at the head",
            () => api.CreateClient().GetFromJsonAsync<FeedProgress>("/feed/progress", FeedJson.Default.Options), p => p!.Relayed == head);

        Assert.Equal(head, progress!.Head);
    }

    [Fact]
    public async Task The_feed_is_in_the_openapi_document()
    {
        await using var api = new CommandApi();
        var document = await api.CreateClient().GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/feed\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/feed/users/{id}\"", document, StringComparison.Ordinal);
    }
}
