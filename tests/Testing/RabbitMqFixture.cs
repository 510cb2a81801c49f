using System.Diagnostics;
using Xunit;

namespace Accounts.Testing;

/// <summary>
/// A real RabbitMQ for integration tests, in this order: <c>RABBITMQ_URL</c> if set; else a Testcontainers container when a
/// Docker engine answers; else the locally installed <c>rabbitmq-server</c> as a private node (temp folder, free ports on
/// 127.0.0.1, stopped by its own process id). Without any of them it fails, saying what to install; it never passes silently.
/// One broker serves the whole test process: use this class as an xunit collection fixture, or <see cref="Shared"/>.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    static readonly SemaphoreSlim StartLock = new(1, 1);
    static RunningRabbitMq? s_running;

    RunningRabbitMq? _running;

    /// <summary>The process-wide broker, started on first use and stopped when the test process exits.</summary>
    public static async Task<RabbitMqFixture> Shared()
    {
        var fixture = new RabbitMqFixture();
        await fixture.InitializeAsync();
        return fixture;
    }

    /// <summary><c>amqp://user:pass@host:port/vhost</c>, the form of <c>ConnectionStrings__rabbitmq</c>.</summary>
    public string AmqpUrl => Running.AmqpUrl;

    /// <summary>Where the broker came from, e.g. "local rabbitmq-server node fixture-3f2a@localhost (started in 2.9 s)".</summary>
    public string Description => Running.Description;

    RunningRabbitMq Running => _running ?? throw new InvalidOperationException("The RabbitMQ fixture is not initialized.");

    /// <summary>
    /// This test process's <c>Messaging:Prefix</c>: every host a test project starts on the broker puts it in front of its queue
    /// and exchange names, so test projects running at the same time on one broker never share a queue nor receive each
    /// other's messages. Hosts of one process share it, as the services of one system do.
    /// </summary>
    public static string MessagingPrefix { get; } = UniqueName("test");

    /// <summary>A name no other test (or test run sharing the broker) uses, for queues and endpoint prefixes.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public async Task InitializeAsync()
    {
        await StartLock.WaitAsync();
        try
        {
            s_running ??= await StartAsync();
            _running = s_running;
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>The broker outlives one fixture: it is stopped when the test process exits (or dies, see the node's watchdog).</summary>
    public Task DisposeAsync() => Task.CompletedTask;

    static async Task<RunningRabbitMq> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("RABBITMQ_URL") is { Length: > 0 } url)
            return new RunningRabbitMq(url, "RABBITMQ_URL", Stop: null);

        var stopwatch = Stopwatch.StartNew();
        if (RabbitMqContainerBroker.DockerEngineAnswers())
        {
            var container = await RabbitMqContainerBroker.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new RunningRabbitMq(container.AmqpUrl, $"Testcontainers {RabbitMqContainerBroker.Image} (started in {stopwatch.Elapsed.TotalSeconds:F1} s)", container.DisposeAsync);
        }

        if (LocalRabbitMqNode.IsInstalled())
        {
            var node = await LocalRabbitMqNode.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => node.Stop();
            return new RunningRabbitMq(node.AmqpUrl, $"local rabbitmq-server node {node.NodeName} (started in {stopwatch.Elapsed.TotalSeconds:F1} s)", () => { node.Stop(); return ValueTask.CompletedTask; });
        }

        throw new InvalidOperationException(
            "No RabbitMQ for the integration tests: RABBITMQ_URL is not set, no Docker engine answers, and rabbitmq-server is not installed. " +
            "Install the broker with `apt-get install rabbitmq-server` (or set RABBITMQ_URL=amqp://user:pass@host:port/vhost).");
    }

    sealed record RunningRabbitMq(string AmqpUrl, string Description, Func<ValueTask>? Stop);
}
