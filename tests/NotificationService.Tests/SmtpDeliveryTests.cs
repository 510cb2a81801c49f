using Accounts.Testing;
using NotificationService.Notifications;

namespace NotificationService.Tests;

/// <summary>
/// Delivery to a real SMTP server (aiosmtpd), including an outage. Each test has its own server. Back-off, circuit breaks
/// and rescheduled rounds run on the harness's fake clock, moved on while a test waits for what it expects.
/// </summary>
public sealed class SmtpDeliveryTests : IAsyncLifetime
{
    private const string CircuitOpened = "circuit opened";

    private readonly SmtpServerFixture _smtp = new();
    private DispatcherHarness _harness = null!;

    public async Task InitializeAsync()
    {
        await _smtp.InitializeAsync();
        _harness = DispatcherHarness.OverSmtp(_smtp);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Pending_notifications_arrive_once_each_with_their_id_as_message_id_and_are_marked_sent()
    {
        await _harness.StartAsync();
        var welcomes = await _harness.AddWelcomesAsync(5);
        var after = await _harness.UntilAllSentAsync(welcomes);
        Assert.All(after, n => Assert.Equal((NotificationState.Sent, 1), (n.State, n.Attempts)));
        Assert.All(DispatcherHarness.CountInMailbox(_smtp, welcomes).Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task A_batch_shares_one_connection_for_up_to_the_messages_per_connection_and_then_opens_another()
    {
        await using var harness = DispatcherHarness.OverSmtp(_smtp, messagesPerConnection: 3);
        var welcomes = await harness.AddWelcomesAsync(7);
        await harness.StartAsync();
        await harness.UntilAllSentAsync(welcomes);
        Assert.All(DispatcherHarness.CountInMailbox(_smtp, welcomes).Values, count => Assert.Equal(1, count));
        // aiosmtpd stamps each message with the client's address and port: one port per connection.
        var connections = _smtp.Messages().Select(raw => MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw))).Headers["X-Peer"]);
        Assert.Equal(3, connections.Distinct().Count());
    }

    [Fact]
    public async Task While_smtp_is_down_deliveries_retry_the_circuit_opens_and_the_mail_arrives_later_exactly_once()
    {
        await _smtp.StopAsync();
        await _harness.StartAsync();
        var welcomes = await _harness.AddWelcomesAsync(4);
        var log = await _harness.UntilLoggedAsync(CircuitOpened);
        Assert.Contains(log, l => l.Contains("Delivery attempt", StringComparison.Ordinal));
        // The outage outlasts a break: the trial delivery let through after it fails and the circuit opens again.
        await _harness.UntilLoggedAsync(CircuitOpened, count: 2);
        var during = await _harness.FindAllAsync(welcomes);
        Assert.All(during, n => Assert.Equal(NotificationState.Pending, n.State));
        Assert.Contains(during, n => n.Attempts > 0 && n.LastError is not null);

        await _smtp.StartAsync();
        var after = await _harness.UntilAllSentAsync(welcomes);
        Assert.All(after, n => Assert.Equal(NotificationState.Sent, n.State));
        Assert.All(DispatcherHarness.CountInMailbox(_smtp, welcomes).Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task A_restarted_dispatcher_resumes_pending_notifications_and_sends_nothing_twice()
    {
        await _harness.StartAsync();
        var first = await _harness.AddWelcomesAsync(2);
        await _harness.UntilAllSentAsync(first);
        await _harness.StopAsync();
        Assert.True(_harness.Loop!.IsCompleted);
        var second = await _harness.AddWelcomesAsync(3);
        Assert.All(await _harness.FindAllAsync(second), n => Assert.Equal((NotificationState.Pending, 0), (n.State, n.Attempts)));
        Assert.All(DispatcherHarness.CountInMailbox(_smtp, second).Values, count => Assert.Equal(0, count));

        await _harness.StartAsync();
        var after = await _harness.UntilAllSentAsync(second);
        Assert.All(after, n => Assert.Equal(NotificationState.Sent, n.State));
        Assert.All(DispatcherHarness.CountInMailbox(_smtp, first.Concat(second)).Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task A_recipient_the_server_cannot_take_fails_for_good_without_retries()
    {
        await _harness.StartAsync();
        var messageId = Guid.NewGuid();
        var at = _harness.Time.GetUtcNow();
        var broken = new Notification(NotificationId.For(messageId, NotificationKind.Welcome, "not an address"), Guid.NewGuid(), messageId,
            NotificationKind.Welcome, "not an address", "Welcome", "Hello\n", NotificationState.Pending, 0, null, at, at, at, null);
        await _harness.Store.AddAsync(broken);
        _harness.Signal.Wake();
        var now = await _harness.UntilAsync("the notification to an unusable address to be settled",
            () => _harness.Store.FindAsync(broken.Id), n => n!.State != NotificationState.Pending);
        Assert.Equal(NotificationState.Failed, now!.State);
        Assert.Contains("ParseException", now.LastError, StringComparison.Ordinal);
    }
}
