using System.Globalization;

namespace EndToEnd.Tests;

/// <summary>
/// The three services as three processes over a private RabbitMQ node of their own (so the node can be killed without
/// touching the test run's shared broker), embedded SQLite stores, mail as <c>.eml</c> files in a pickup directory, gap
/// repair from the command service's feed as <c>make run-local</c> wires it. Started once for its test class; every
/// process is stopped by its own id.
/// </summary>
public sealed class FaultySystem : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fault-system-").FullName;

    public LocalRabbitMqNode Broker { get; private set; } = null!;

    public ServiceProcess Command { get; private set; } = null!;

    public ServiceProcess Query { get; private set; } = null!;

    public ServiceProcess Notification { get; private set; } = null!;

    /// <summary>The notification service's pickup directory: one <c>&lt;notification id&gt;@localhost.eml</c> per e-mail delivered.</summary>
    public string Outbox => Path.Combine(_folder, "outbox");

    public async Task InitializeAsync()
    {
        Broker = await LocalRabbitMqNode.StartAsync();
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__rabbitmq"] = Broker.AmqpUrl,
            ["Auth__SigningKey"] = TestTokens.SigningKey,
            ["Auth__Authority"] = "",
            ["RateLimiting__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var (command, query, notification) = (ServiceProcess.FreeUrl(), ServiceProcess.FreeUrl(), ServiceProcess.FreeUrl());
        var feed = new Dictionary<string, string>(common) { ["Feed__BaseUrl"] = command.ToString() };
        var starting = new[]
        {
            ServiceProcess.StartAsync("CommandService", command,
                new Dictionary<string, string>(common) { ["EventStore__SqlitePath"] = Path.Combine(_folder, "events.db") }),
            ServiceProcess.StartAsync("QueryService", query,
                new Dictionary<string, string>(feed) { ["Query__SqlitePath"] = Path.Combine(_folder, "views.db") }),
            ServiceProcess.StartAsync("NotificationService", notification, new Dictionary<string, string>(feed)
            {
                ["Notifications__SqlitePath"] = Path.Combine(_folder, "notifications.db"),
                ["Notifications__PickupDirectory"] = Outbox,
                // A killed dispatcher's claim lapses after this (default 2 minutes): what it held is delivered again soon.
                ["Notifications__ClaimLease"] = "00:00:03",
                ["Notifications__PollInterval"] = TimeSpan.FromSeconds(1).ToString("c", CultureInfo.InvariantCulture),
            }),
        };
        var started = await Task.WhenAll(starting);
        (Command, Query, Notification) = (started[0], started[1], started[2]);
    }

    public async Task DisposeAsync()
    {
        foreach (var service in new[] { Command, Query, Notification }.OfType<ServiceProcess>())
        {
            await service.DisposeAsync();
        }
        Broker?.Stop();
        Directory.Delete(_folder, recursive: true);
    }
}
