using Accounts.Contracts;
using Accounts.Messaging;
using Accounts.Testing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NotificationService.Notifications;

namespace NotificationService.Tests;

/// <summary>
/// The service on a real RabbitMQ sending to a real SMTP server: a history published shuffled, three times over (same
/// message ids, as re-publishes), yields exactly one e-mail per expected notification.
/// </summary>
public sealed class NotificationOverRabbitMqTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    private readonly SmtpServerFixture _smtp = new();
    private readonly NotificationApi _api = new();
    private ServiceProvider _publisher = null!;

    public async Task InitializeAsync()
    {
        var broker = await RabbitMqFixture.Shared();
        await _smtp.InitializeAsync();
        _api.Settings["ConnectionStrings:rabbitmq"] = broker.AmqpUrl;
        _api.Settings["Messaging:Prefix"] = RabbitMqFixture.MessagingPrefix;
        _api.Settings["Smtp:Host"] = SmtpServerFixture.Host;
        _api.Settings["Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _api.Settings["Smtp:From"] = "accounts@example.org";
        for (var i = 0; i < 16; i++)
        {
            _api.Settings[$"Messaging:RetryIntervals:{i}"] = "00:00:00.25"; // chains of gaps from a deep shuffle need frequent retries
        }
        _ = _api.Server;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = broker.AmqpUrl,
                ["Messaging:Prefix"] = RabbitMqFixture.MessagingPrefix,
            })
            .Build();
        _publisher = new ServiceCollection().AddLogging().AddAccountsMessaging(configuration, "test-publisher", _ => { }).BuildServiceProvider();
        await _publisher.GetRequiredService<IBusControl>().StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _publisher.GetRequiredService<IBusControl>().StopAsync();
        await _publisher.DisposeAsync();
        await _api.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Shuffled_and_re_published_messages_give_exactly_one_email_per_notification()
    {
        var users = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        var deliveries = users.SelectMany(u => new IUserMessage[]
            {
                new UserRegistered(u, 1, At, $"{u:N}@example.com", "Ada"),
                new UserRenamed(u, 2, At, "Countess"),
                new UserEmailChanged(u, 3, At, $"{u:N}@example.com", $"{u:N}@lovelace.org"),
                new UserDeactivated(u, 4, At, "moved on"),
            })
            .Select(m => (Message: m, Id: Guid.NewGuid()))
            .SelectMany(d => new[] { d, d, d })
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        var bus = _publisher.GetRequiredService<IBus>();
        await Task.WhenAll(deliveries.Select(d => bus.Publish(d.Message, d.Message.GetType(), c => c.MessageId = d.Id)));

        var store = _api.Services.GetRequiredService<INotificationStore>();
        var all = await Eventually.UntilAsync("every notification to be recorded and sent", async () =>
        {
            List<Notification> recorded = [];
            foreach (var user in users)
            {
                recorded.AddRange(await store.ForUserAsync(user));
            }
            return recorded;
        }, recorded => recorded.Count >= users.Count * 4 && recorded.All(n => n.State == NotificationState.Sent));

        Assert.Equal(users.Count * 4, all.Count);
        Assert.All(all, n => Assert.Equal(NotificationState.Sent, n.State));
        Assert.All(all.Where(n => n.Kind != NotificationKind.Welcome), n => Assert.Contains("Hello Countess", n.Body, StringComparison.Ordinal));
        Assert.All(DispatcherHarness.CountInMailbox(_smtp, all).Values, count => Assert.Equal(1, count));
        Assert.Equal(all.Count, _smtp.Messages().Count);
    }
}
