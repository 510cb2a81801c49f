using Accounts.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using NotificationService.Delivery;
using NotificationService.Infrastructure.Sqlite;
using NotificationService.Notifications;
using ServiceDefaults;

namespace NotificationService.Tests;

/// <summary>
/// A dispatcher wired as the service wires it (its Polly pipelines registered by name) over a SQLite store, on a fake
/// clock: every back-off, circuit break and rescheduled round waits on <see cref="Time"/>, which <see cref="UntilAsync"/>
/// moves on while it waits. What the dispatcher and its pipelines log is in <see cref="Log"/>.
/// </summary>
public sealed class DispatcherHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    /// <summary>How far the clock moves on per look while a test waits.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly string _folder = Directory.CreateTempSubdirectory("dispatcher-").FullName;
    private NotificationDispatcher? _dispatcher;

    /// <param name="sender">The mail sender; SMTP with <paramref name="smtp"/> when none is given.</param>
    /// <param name="store">Wraps the store the dispatcher sees (to make it fail).</param>
    public DispatcherHarness(
        NotificationOptions options, SmtpOptions smtp, IMailSender? sender = null, Func<INotificationStore, INotificationStore>? store = null)
    {
        Store = new SqliteNotificationStore(Path.Combine(_folder, "notifications.db"));
        var services = new ServiceCollection()
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(options))
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(smtp))
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton<INotificationStore>(store is null ? Store : store(Store))
            .AddSingleton(Signal)
            .AddFakeLogging()
            .AddMetrics()
            .AddSingleton<DeliveryMetrics>()
            .AddDeliveryPipeline()
            .AddSupervisor(NotificationDispatcher.SupervisorPipeline, NotificationDispatcher.MaxRestartPause);
        if (sender is null)
        {
            services.AddSingleton<IMailSender, SmtpMailSender>();
        }
        else
        {
            services.AddSingleton(sender);
        }
        Services = services.BuildServiceProvider();
    }

    /// <summary>
    /// Over a real SMTP server, with short delays: 2 tries per round, a circuit that opens after 2 failures for one
    /// second, rounds rescheduled after 200 ms (400 ms at most); <paramref name="messagesPerConnection"/> messages per SMTP connection. The attempt timeout runs on the fake clock, which moves
    /// on while real sends are in flight: it is long, so that only a server that hangs would reach it.
    /// </summary>
    public static DispatcherHarness OverSmtp(SmtpServerFixture smtp, int messagesPerConnection = 50) => new(
        new NotificationOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(200),
            RetryDelay = TimeSpan.FromMilliseconds(200),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
            MaxAttempts = 1000,
            Delivery = new DeliveryPipelineOptions
            {
                AttemptTimeout = TimeSpan.FromMinutes(10),
                RetryAttempts = 1,
                RetryDelay = TimeSpan.FromMilliseconds(20),
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(1),
            },
        },
        new SmtpOptions { Host = SmtpServerFixture.Host, Port = smtp.Port, From = "accounts@example.org", MessagesPerConnection = messagesPerConnection });

    public ServiceProvider Services { get; }

    public SqliteNotificationStore Store { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public DispatchSignal Signal { get; } = new();

    public FakeLogCollector Log => Services.GetFakeLogCollector();

    /// <summary>The loop of the dispatcher started last (completed once <see cref="StopAsync"/> returned).</summary>
    public Task? Loop { get; private set; }

    /// <summary>Starts a new dispatcher, its loop outside the caller's trace.</summary>
    public async Task StartAsync()
    {
        _dispatcher = ActivatorUtilities.CreateInstance<NotificationDispatcher>(Services);
        Task starting;
        using (ExecutionContext.SuppressFlow())
        {
            starting = _dispatcher.StartAsync(CancellationToken.None);
        }
        await starting;
        Loop = _dispatcher.ExecuteTask;
    }

    public async Task StopAsync()
    {
        if (_dispatcher is { } dispatcher)
        {
            _dispatcher = null;
            await dispatcher.StopAsync(CancellationToken.None);
            dispatcher.Dispose();
        }
    }

    /// <summary>
    /// Asks <paramref name="probe"/> until <paramref name="done"/> holds, moving the clock on by <paramref name="step"/>
    /// (100 ms unless given) and waking the dispatcher before each look.
    /// </summary>
    public Task<T> UntilAsync<T>(string what, Func<Task<T>> probe, Func<T, bool> done, TimeSpan? step = null) =>
        Eventually.UntilAsync(what, async () =>
        {
            Time.Advance(step ?? Step);
            Signal.Wake();
            return await probe();
        }, done);

    /// <summary>Waits until the log has <paramref name="count"/> messages containing <paramref name="text"/>; returns all messages.</summary>
    public Task<List<string>> UntilLoggedAsync(string text, int count = 1) =>
        UntilAsync($"{count} log message(s) with \"{text}\"",
            () => Task.FromResult(Log.GetSnapshot().Select(r => r.Message).ToList()),
            messages => messages.Count(m => m.Contains(text, StringComparison.Ordinal)) >= count);

    public Task<List<Notification>> UntilAllSentAsync(IReadOnlyCollection<Notification> notifications) =>
        UntilAsync($"all {notifications.Count} notifications sent", () => FindAllAsync(notifications),
            current => current.All(n => n.State == NotificationState.Sent));

    public async Task<List<Notification>> FindAllAsync(IEnumerable<Notification> notifications)
    {
        var current = new List<Notification>();
        foreach (var n in notifications)
        {
            current.Add((await Store.FindAsync(n.Id))!);
        }
        return current;
    }

    /// <summary>Records <paramref name="count"/> welcome notifications, due now, and wakes the dispatcher.</summary>
    public async Task<List<Notification>> AddWelcomesAsync(int count)
    {
        var at = Time.GetUtcNow();
        var added = new List<Notification>();
        for (var i = 0; i < count; i++)
        {
            var messageId = Guid.NewGuid();
            var recipient = $"user{i}-{messageId:N}@example.com";
            var n = new Notification(NotificationId.For(messageId, NotificationKind.Welcome, recipient), Guid.NewGuid(), messageId,
                NotificationKind.Welcome, recipient, $"Welcome {i}", "Hello\n", NotificationState.Pending, 0, null, at, at, at, null);
            await Store.AddAsync(n);
            added.Add(n);
        }
        Signal.Wake();
        return added;
    }

    /// <summary>How many messages in the mailbox carry each notification's Message-ID.</summary>
    public static Dictionary<Guid, int> CountInMailbox(SmtpServerFixture smtp, IEnumerable<Notification> notifications)
    {
        var ids = smtp.Messages()
            .Select(raw => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw))).MessageId)
            .ToList();
        return notifications.ToDictionary(n => n.Id, n => ids.Count(id => id == MailMessages.MessageIdOf(n.Id, "example.org")));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Services.DisposeAsync();
        await Store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
