using Accounts.Testing;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using NotificationService.Delivery;
using NotificationService.Infrastructure.Sqlite;
using NotificationService.Notifications;
using Polly.CircuitBreaker;

namespace NotificationService.Tests;

/// <summary>
/// A dispatcher over a SQLite store sending to a real SMTP server, with short delays: 2 tries per round, a circuit that
/// opens after 2 failures for one second, rounds rescheduled after 200 ms, polls every 200 ms.
/// </summary>
public sealed class DispatcherHarness : IAsyncDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    private readonly string _folder = Directory.CreateTempSubdirectory("dispatcher-").FullName;
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private NotificationDispatcher? _dispatcher;

    public DispatcherHarness(SmtpServerFixture smtp)
    {
        Store = new SqliteNotificationStore(Path.Combine(_folder, "notifications.db"));
        Options = Microsoft.Extensions.Options.Options.Create(new NotificationOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(200),
            RetryDelay = TimeSpan.FromMilliseconds(200),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
            MaxAttempts = 1000,
            Delivery = new DeliveryPipelineOptions
            {
                AttemptTimeout = TimeSpan.FromSeconds(5),
                RetryAttempts = 1,
                RetryDelay = TimeSpan.FromMilliseconds(20),
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(1),
            },
        });
        Smtp = Microsoft.Extensions.Options.Options.Create(new SmtpOptions { Host = SmtpServerFixture.Host, Port = smtp.Port, From = "accounts@example.org" });
    }

    public SqliteNotificationStore Store { get; }

    public IOptions<NotificationOptions> Options { get; }

    public IOptions<SmtpOptions> Smtp { get; }

    public DispatchSignal Signal { get; } = new();

    public List<string> Log { get; } = [];

    public async Task StartAsync()
    {
        var circuit = new CircuitBreakerStateProvider();
        var pipeline = DeliveryPipeline.Create(Options, new ListLogger(Log), TimeProvider.System, circuit);
        _dispatcher = new NotificationDispatcher(Store, new SmtpMailSender(Smtp, NullLogger<SmtpMailSender>.Instance), pipeline, Signal,
            Options, Smtp, new DeliveryMetrics(_meters.GetRequiredService<IMeterFactory>(), circuit), TimeProvider.System,
            NullLogger<NotificationDispatcher>.Instance);
        await _dispatcher.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_dispatcher is not null)
        {
            await _dispatcher.StopAsync(CancellationToken.None);
            _dispatcher.Dispose();
            _dispatcher = null;
        }
    }

    public async Task<List<Notification>> AddWelcomesAsync(int count)
    {
        var added = new List<Notification>();
        for (var i = 0; i < count; i++)
        {
            var messageId = Guid.NewGuid();
            var recipient = $"user{i}-{messageId:N}@example.com";
            var n = new Notification(NotificationId.For(messageId, NotificationKind.Welcome, recipient), Guid.NewGuid(), messageId,
                NotificationKind.Welcome, recipient, $"Welcome {i}", "Hello\n", NotificationState.Pending, 0, null, At, At, At, null);
            await Store.AddAsync(n);
            added.Add(n);
        }
        Signal.Wake();
        return added;
    }

    public async Task<List<Notification>> WaitUntilAllSentAsync(IEnumerable<Notification> notifications, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var current = new List<Notification>();
            foreach (var n in notifications)
            {
                current.Add((await Store.FindAsync(n.Id))!);
            }
            if (current.All(n => n.State == NotificationState.Sent) || DateTime.UtcNow > deadline)
            {
                return current;
            }
            await Task.Delay(50);
        }
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
        await _meters.DisposeAsync();
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class ListLogger(List<string> lines) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception));
            }
        }
    }
}
