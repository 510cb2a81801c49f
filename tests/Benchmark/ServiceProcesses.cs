using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Accounts.Benchmark;

/// <summary>
/// The system under test: the broker and the three services, each either given by URL or started here from its Release
/// build (127.0.0.1, a free port, embedded stores in one temp folder). Whatever was started is stopped by its process id
/// on dispose: services by SIGTERM (SIGKILL after 10 s), the broker node by the script that started it.
/// </summary>
public sealed class ServiceProcesses : IAsyncDisposable
{
    public const string CommandName = "command", QueryName = "query", NotificationName = "notification";

    private readonly string repoRoot;
    private readonly string dataDir = Directory.CreateTempSubdirectory("bench-").FullName;
    private readonly Dictionary<string, Process> started = [];
    private readonly Dictionary<string, int> pids = [];
    private readonly bool keepData;
    private readonly Dictionary<string, Uri> urls = [];
    private string? nodeDir;
    private int? nodePid;

    private string signingKey = "";
    private bool rateLimited;

    private ServiceProcesses(string repoRoot, bool keepData) => (this.repoRoot, this.keepData) = (repoRoot, keepData);

    public string AmqpUrl { get; private set; } = "";
    public Uri Command => urls[CommandName];
    public Uri Query => urls[QueryName];
    public Uri Notification => urls[NotificationName];
    public IEnumerable<string> Started => pids.Keys;
    public string DataDir => dataDir;

    public static async Task<ServiceProcesses> StartAsync(BenchOptions options, string repoRoot, BenchProgress progress, CancellationToken cancellationToken)
    {
        var system = new ServiceProcesses(repoRoot, options.KeepData);
        try
        {
            await system.StartAllAsync(options, progress, cancellationToken);
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(BenchOptions options, BenchProgress progress, CancellationToken cancellationToken)
    {
        AmqpUrl = options.RabbitMq ?? "";
        signingKey = options.SigningKey;
        rateLimited = options.RateLimited;
        if (AmqpUrl.Length == 0)
        {
            progress.Begin("starting RabbitMQ", ("", "", "", ""), "infra/rabbitmq-node.sh start");
            (AmqpUrl, nodeDir, nodePid) = await StartNodeAsync(cancellationToken);
        }
        var services = new (string Name, string Project, Uri? Given, string[] Store)[]
        {
            (CommandName, "CommandService", options.Command, [$"--EventStore:SqlitePath={Path.Combine(dataDir, "command", "events.db")}"]),
            (QueryName, "QueryService", options.Query, [$"--Query:SqlitePath={Path.Combine(dataDir, "query", "views.db")}"]),
            (NotificationName, "NotificationService", options.Notification,
                [$"--Notifications:SqlitePath={Path.Combine(dataDir, "notification", "notifications.db")}",
                 $"--Notifications:PickupDirectory={Path.Combine(dataDir, "notification", "outbox")}"]),
        };
        if (!options.Phases.Overlaps(["saturation", "paced", "rebuild"]))
        {
            return; // the baseline needs the broker only
        }
        foreach (var (name, project, given, store) in services)
        {
            string[] feed = name == CommandName ? [] : [$"--Feed:BaseUrl={urls[CommandName]}"]; // gap repair and the rebuild read the feed
            urls[name] = given ?? Start(name, project, [.. store, .. feed, .. options.ServiceArgs]);
        }
        progress.Begin("waiting for /health/ready", ("", "", "", ""), string.Join(", ", urls.Select(u => $"{u.Key} {u.Value}")));
        await Task.WhenAll(urls.Select(u => WaitReadyAsync(u.Key, u.Value, cancellationToken)));
    }

    private async Task<(string Url, string Dir, int? Pid)> StartNodeAsync(CancellationToken cancellationToken)
    {
        var script = Path.Combine(repoRoot, "infra", "rabbitmq-node.sh");
        var (exitCode, output) = await RunAsync(script, ["start"], cancellationToken);
        var fields = output.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        if (exitCode != 0 || !fields.TryGetValue("AMQP_URL", out var url) || !fields.TryGetValue("DIR", out var dir))
        {
            throw new InvalidOperationException($"infra/rabbitmq-node.sh start failed ({exitCode}): {output}");
        }
        return (url, dir, fields.TryGetValue("PID", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null);
    }

    private Uri Start(string name, string project, string[] storeArgs)
    {
        var dll = Path.Combine(repoRoot, "services", project, "bin", "Release", "net10.0", project + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build it first (make bench builds the Release configuration).");
        }
        var url = new Uri($"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}");
        var log = Path.Combine(dataDir, name + ".log");
        // The shell only redirects the output to a log file and then becomes the service (exec), so the process id we
        // hold is the service's own: its RSS is the service's, and SIGTERM reaches the host directly.
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = repoRoot,
            UseShellExecute = false,
            ArgumentList = { "-c", "exec \"$@\" >\"$LOG\" 2>&1 </dev/null", "service",
                "dotnet", dll, "--urls", url.ToString(), "--contentRoot", Path.Combine(repoRoot, "services", project) },
        };
        foreach (var arg in storeArgs)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LOG"] = log;
        start.Environment["ConnectionStrings__rabbitmq"] = AmqpUrl;
        start.Environment["Auth__SigningKey"] = signingKey;
        start.Environment["Auth__Authority"] = "";
        start.Environment["RateLimiting__Enabled"] = rateLimited ? "true" : "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        started[name] = process;
        lock (pids)
        {
            pids[name] = process.Id;
        }
        return url;
    }

    private async Task WaitReadyAsync(string name, Uri url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (started.TryGetValue(name, out var process) && process.HasExited)
            {
                throw new InvalidOperationException($"The {name} service exited ({process.ExitCode}):\n{LogTail(name)}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // a slow start
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"The {name} service at {url} was not ready within 60 s.\n{LogTail(name)}");
            }
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Peak resident set size (VmHWM) of each started service that still runs, in MB.</summary>
    public Dictionary<string, double> PeakRssMb() => ReadStatus("VmHWM:");

    /// <summary>Current resident set size (VmRSS) of each started service, in MB.</summary>
    public Dictionary<string, double> RssMb() => ReadStatus("VmRSS:");

    private Dictionary<string, double> ReadStatus(string field)
    {
        var result = new Dictionary<string, double>();
        KeyValuePair<string, int>[] running;
        lock (pids)
        {
            running = [.. pids];
        }
        foreach (var (name, pid) in running)
        {
            try
            {
                var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
                if (line is not null && long.TryParse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out var kb))
                {
                    result[name] = Math.Round(kb / 1024.0, 1);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process is gone
            }
        }
        return result;
    }

    /// <summary>
    /// CPU time used so far (user + system, seconds) by each started service, by the broker node we started (all processes
    /// of its process group) and by this benchmark process.
    /// </summary>
    public Dictionary<string, double> CpuSeconds()
    {
        const double ticksPerSecond = 100; // USER_HZ on Linux
        var result = new Dictionary<string, double>();
        KeyValuePair<string, int>[] running;
        lock (pids)
        {
            running = [.. pids];
        }
        var byPid = running.ToDictionary(p => p.Value, p => p.Key);
        foreach (var stat in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(stat, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            // Fields after the command name in parentheses: state ppid pgrp ... utime(14) stime(15), counted from 1.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var pid = int.Parse(Path.GetFileName(stat), CultureInfo.InvariantCulture);
            var name = byPid.GetValueOrDefault(pid)
                ?? (nodePid is { } node && fields[2] == node.ToString(CultureInfo.InvariantCulture) ? "broker"
                : pid == Environment.ProcessId ? "bench" : null);
            if (name is not null)
            {
                var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ticksPerSecond;
                result[name] = result.GetValueOrDefault(name) + seconds;
            }
        }
        return result;
    }

    public string LogTail(string name, int lines = 30)
    {
        var log = Path.Combine(dataDir, name + ".log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(lines)) : "(no log)";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in started.Values.Where(p => !p.HasExited))
        {
            await RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
        }
        foreach (var process in started.Values)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
            process.Dispose();
        }
        started.Clear();
        lock (pids)
        {
            pids.Clear();
        }
        if (nodeDir is not null)
        {
            await RunAsync(Path.Combine(repoRoot, "infra", "rabbitmq-node.sh"), ["stop", nodeDir], CancellationToken.None);
            nodeDir = null;
        }
        if (keepData)
        {
            return;
        }
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS to clean up with the other temp folders
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
