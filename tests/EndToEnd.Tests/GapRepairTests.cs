using Microsoft.Extensions.DependencyInjection;

namespace EndToEnd.Tests;

/// <summary>
/// Gap repair over a real RabbitMQ: 1,000 accounts exist before the query and notification services ever ran (their queues
/// did not exist, so the registrations never reach them); then each account changes, and every change arrives as a gap.
/// The consumers fetch the missing versions from the command service's feed: every view converges, every welcome is
/// recorded once, and nothing reaches an <c>_error</c> queue.
/// </summary>
public sealed class GapRepairTests
{
    [Fact]
    public async Task Services_started_after_1000_registrations_converge_through_gap_repair_with_empty_error_queues()
    {
        const int users = 1000;
        var broker = await RabbitMqFixture.Shared();
        var prefix = RabbitMqFixture.UniqueName("gap");
        var bus = new Dictionary<string, string?> { ["ConnectionStrings:rabbitmq"] = broker.AmqpUrl, ["Messaging:Prefix"] = prefix };
        await using var commandHost = new ServiceHost<CommandService.Program>("gap-command", bus);
        var command = commandHost.CreateClient();
        var ids = Enumerable.Range(0, users).Select(_ => Guid.CreateVersion7()).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16 };
        await Parallel.ForEachAsync(ids, parallel, async (id, _) => await command.RegisterAsync(id, $"{id:N}@example.org", "Before"));

        var late = new Dictionary<string, string?>(bus) { ["Feed:BaseUrl"] = "http://command/" };
        void FeedFromCommandHost(IServiceCollection services) =>
            services.AddHttpClient(Accounts.Messaging.Feed.FeedClient.Name).ConfigurePrimaryHttpMessageHandler(() => commandHost.Server.CreateHandler());
        await using var queryHost = new ServiceHost<QueryService.Program>("gap-query", late, FeedFromCommandHost);
        await using var notificationHost = new ServiceHost<NotificationService.Program>("gap-notification", late, FeedFromCommandHost);
        var (query, notification) = (queryHost.CreateClient(), notificationHost.CreateClient());
        Assert.Equal(404, (int)(await query.GetAsync($"/users/{ids[0]}")).StatusCode);

        await Parallel.ForEachAsync(ids, parallel, async (id, _) => await command.PostAsync($"/users/{id}/name", new { displayName = "After" }));

        await Parallel.ForEachAsync(ids, parallel, async (id, _) =>
        {
            var view = await query.ViewAtAsync(id, 2);
            Assert.Equal(("After", $"{id:N}@example.org"), (view.GetProperty("displayName").GetString(), view.GetProperty("email").GetString()));
        });
        await Parallel.ForEachAsync(ids, parallel, async (id, _) =>
        {
            var list = await notification.EventuallyAsync($"/users/{id}/notifications", list => list.GetArrayLength() > 0);
            Assert.Equal("welcome", Assert.Single(list.EnumerateArray()).GetProperty("kind").GetString());
        });
        Assert.Equal(0u, await QueueDepth.CountAsync(broker.AmqpUrl, $"{prefix}-query-users_error"));
        Assert.Equal(0u, await QueueDepth.CountAsync(broker.AmqpUrl, $"{prefix}-notification-users_error"));
    }
}
