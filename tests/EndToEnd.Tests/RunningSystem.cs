namespace EndToEnd.Tests;

/// <summary>
/// The three services as separate hosts (own configuration, stores and MassTransit bus) over a real RabbitMQ (behind this
/// test process's messaging prefix, as one system), with a
/// second query instance on the same views competing for the same queue, and notifications delivered to a real SMTP
/// server. Driven only through HTTP.
/// </summary>
public sealed class RunningSystem : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _hosts = [];

    public SmtpServerFixture Smtp { get; } = new();

    public HttpClient Command { get; private set; } = null!;

    public HttpClient Query { get; private set; } = null!;

    public HttpClient SecondQuery { get; private set; } = null!;

    public HttpClient Notification { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var broker = await RabbitMqFixture.Shared();
        await Smtp.InitializeAsync();
        var bus = new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.AmqpUrl,
            ["Messaging:Prefix"] = RabbitMqFixture.MessagingPrefix,
        };
        Command = Start(new ServiceHost<CommandService.Program>("command", bus));
        var query = new ServiceHost<QueryService.Program>("query", bus);
        Query = Start(query);
        SecondQuery = Start(new ServiceHost<QueryService.Program>("query-2",
            new Dictionary<string, string?>(bus) { ["Query:SqlitePath"] = Path.Combine(query.DataFolder, "views.db") }));
        Notification = Start(new ServiceHost<NotificationService.Program>("notification",
            new Dictionary<string, string?>(bus) { ["Smtp:Host"] = SmtpServerFixture.Host, ["Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
    }

    private HttpClient Start<TProgram>(ServiceHost<TProgram> host)
        where TProgram : class
    {
        _hosts.Add(host);
        return host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }
        await Smtp.DisposeAsync();
    }
}

/// <summary>One running system for every test class that needs it: they run one after another and share its queues.</summary>
[CollectionDefinition(Name)]
public sealed class SharesRunningSystem : ICollectionFixture<RunningSystem>
{
    public const string Name = "running system";
}
