using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Accounts.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// The three services as three processes (their own builds, each its own OpenTelemetry pipeline) exporting by OTLP to the
/// standalone Aspire dashboard, over the test run's broker behind a messaging prefix of their own (so the in-process hosts
/// of other tests never take their messages). All on 127.0.0.1, free ports, data in a temp folder, started on first use,
/// once per test run, and stopped by process id.
/// </summary>
public sealed class ObservedSystem : IAsyncLifetime
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly List<Process> _processes = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("observed-system-").FullName;
    private bool _started;

    public Uri Dashboard { get; private set; } = null!;

    public Uri Command { get; private set; } = null!;

    public Uri Query { get; private set; } = null!;

    public Uri Notification { get; private set; } = null!;

    /// <summary>Where browser screenshots and service logs go: kept after the run as test artifacts.</summary>
    public static string Artifacts { get; } = Path.Combine(Tools.RepoRoot, "artifacts", "telemetry");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task StartAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (!_started)
            {
                await StartAllAsync();
                _started = true;
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    private async Task StartAllAsync()
    {
        Directory.CreateDirectory(Artifacts);
        var amqpUrl = (await RabbitMqFixture.Shared()).AmqpUrl;

        var (ui, grpc, http) = (FreePort(), FreePort(), FreePort());
        Dashboard = new Uri($"http://127.0.0.1:{ui}");
        Start("dashboard", Tools.DashboardBinary!, [], new()
        {
            ["ASPNETCORE_URLS"] = Dashboard.ToString(),
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{grpc}",
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{http}",
            ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
            ["ASPIRE_DASHBOARD_API_ENABLED"] = "true",
        });
        var telemetry = new Dictionary<string, string>
        {
            ["ConnectionStrings__rabbitmq"] = amqpUrl,
            ["Messaging__Prefix"] = RabbitMqFixture.UniqueName("observed"),
            ["Auth__SigningKey"] = TestTokens.SigningKey,
            ["RateLimiting__Enabled"] = "false",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{grpc}",
            // Export batches every 200 ms instead of 5 s, so the dashboard has them soon after they end.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        };
        // Request logs (command) and MassTransit's consume logs (query, notification) are written inside the trace.
        Command = StartService("CommandService", telemetry, "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information",
            $"--EventStore:SqlitePath={Path.Combine(_folder, "events.db")}");
        Query = StartService("QueryService", telemetry, "--Logging:LogLevel:MassTransit=Debug",
            $"--Query:SqlitePath={Path.Combine(_folder, "views.db")}");
        Notification = StartService("NotificationService", telemetry, "--Logging:LogLevel:MassTransit=Debug",
            $"--Notifications:SqlitePath={Path.Combine(_folder, "notifications.db")}",
            $"--Notifications:PickupDirectory={Path.Combine(_folder, "outbox")}");

        using var client = new HttpClient();
        await Eventually.UntilAsync("the dashboard's telemetry API to answer",
            async () => await Answers(client, new Uri(Dashboard, "/api/telemetry/resources")), TimeSpan.FromSeconds(60));
        foreach (var service in new[] { Command, Query, Notification })
        {
            await Eventually.UntilAsync($"{service} to be ready",
                async () => await Answers(client, new Uri(service, "/health/ready")), TimeSpan.FromSeconds(90));
        }
    }

    private static async Task<bool> Answers(HttpClient client, Uri url)
    {
        try
        {
            return (await client.GetAsync(url)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private Uri StartService(string project, Dictionary<string, string> environment, params string[] args)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var contentRoot = Path.Combine(Tools.RepoRoot, "services", project);
        Start(project, "dotnet", [Tools.ServiceDll(project), "--urls", url.ToString(), "--contentRoot", contentRoot, .. args], environment);
        return url;
    }

    private void Start(string name, string file, string[] args, Dictionary<string, string> environment)
    {
        // setsid makes it lead its own process group; the shell only sends the output to a log file and then becomes the
        // program (exec): the process id is the program's own.
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = _folder };
        foreach (var arg in (string[])["/bin/sh", "-c", "exec \"$@\" >\"$LOG\" 2>&1 </dev/null", name, file, .. args])
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LOG"] = Path.Combine(Artifacts, name + ".log");
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        _processes.Add(process);
        StopWhenTestsDie(process.Id);
    }

    /// <summary>Stops the process group if the test process dies without stopping it.</summary>
    private static void StopWhenTestsDie(int processGroup)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; kill -TERM -- -{processGroup} 2>/dev/null; sleep 5; kill -KILL -- -{processGroup} 2>/dev/null";
        using var watchdog = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", script])
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        });
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_processes.Select(GracefulStop.StopAsync));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        _starting.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The tests that share the stack run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SharesObservedSystem : ICollectionFixture<ObservedSystem>
{
    public const string Name = "observed system";
}
