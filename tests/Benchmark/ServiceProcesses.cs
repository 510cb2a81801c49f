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
    public const string BrokerName = "broker", LoadToolName = "bench", EventStoreName = "eventstore", MongoDbName = "mongodb";

    private readonly string repoRoot;
    private readonly string dataDir = Directory.CreateTempSubdirectory("bench-").FullName;
    private readonly Dictionary<string, Process> started = [];
    private readonly Dictionary<string, int> pids = [];
    private readonly bool keepData;
    private readonly Dictionary<string, Uri> urls = [];
    private readonly Dictionary<string, int> externalPids = [];
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

    /// <summary>
    /// The pickup directory the e-mails go to (the bench's stand-in for an SMTP server): a folder in memory (/dev/shm) where
    /// there is one. On disk, deleting a run's tens of thousands of .eml files made ext4 (no journal) skip the freed inodes
    /// for minutes, and a bench started right after spent up to a fifth of the notification service's CPU allocating inodes.
    /// </summary>
    private readonly string mailSink = Directory.Exists("/dev/shm")
        ? Path.Combine("/dev/shm", $"bench-mail-{Guid.NewGuid():N}")
        : Path.Combine(Path.GetTempPath(), $"bench-mail-{Guid.NewGuid():N}");

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
        // An external broker or database may hold earlier runs' queues and data: this run's names are its own.
        var run = Guid.NewGuid().ToString("N")[..8];
        var shared = new Dictionary<string, string>();
        if (options.RabbitMq is not null)
        {
            shared["Messaging__Prefix"] = $"bench-{run}";
        }
        var commandStore = options.EventStore is { } esdb
            ? new Dictionary<string, string>(shared) { ["ConnectionStrings__eventstore"] = esdb }
            : new Dictionary<string, string>(shared) { ["EventStore__SqlitePath"] = Path.Combine(dataDir, "command", "events.db") };
        var queryStore = options.MongoDb is { } mongo
            ? new Dictionary<string, string>(shared) { ["ConnectionStrings__mongodb"] = mongo, ["Query__MongoDatabase"] = $"bench-query-{run}" }
            : new Dictionary<string, string>(shared) { ["Query__SqlitePath"] = Path.Combine(dataDir, "query", "views.db") };
        var notificationStore = new Dictionary<string, string>(shared)
        {
            ["Notifications__PickupDirectory"] = mailSink,
        };
        if (options.MongoDb is { } log)
        {
            notificationStore["ConnectionStrings__mongodb"] = log;
            notificationStore["Notifications__MongoDatabase"] = $"bench-notification-{run}";
        }
        else
        {
            notificationStore["Notifications__SqlitePath"] = Path.Combine(dataDir, "notification", "notifications.db");
        }
        var services = new (string Name, string Project, Uri? Given, Dictionary<string, string> Environment)[]
        {
            (CommandName, "CommandService", options.Command, commandStore),
            (QueryName, "QueryService", options.Query, queryStore),
            (NotificationName, "NotificationService", options.Notification, notificationStore),
        };
        FindExternalServers(options);
        if (!options.Phases.Overlaps(["saturation", "paced", "rebuild"]))
        {
            return; // the baseline needs the broker only
        }
        foreach (var (name, project, given, environment) in services)
        {
            if (name != CommandName)
            {
                environment["Feed__BaseUrl"] = urls[CommandName].ToString(); // gap repair and the rebuild read the feed
            }
            urls[name] = given ?? Start(name, project, environment, [.. options.ServiceArgs]);
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

    private Uri Start(string name, string project, Dictionary<string, string> environment, string[] args)
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
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
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
    /// CPU time used so far (user + system, seconds) by each started service, by the broker (the node we started: every
    /// process of its process group; an external one running on this machine: the process listening on its port), by an
    /// external event store or MongoDB running on this machine, and by this benchmark process (the load tool).
    /// </summary>
    public Dictionary<string, double> CpuSeconds()
    {
        var all = ProcessCpu.ReadAll();
        var result = new Dictionary<string, double>();
        KeyValuePair<string, int>[] running;
        lock (pids)
        {
            running = [.. pids];
        }
        foreach (var (name, pid) in running.Concat(externalPids))
        {
            if (all.TryGetValue(pid, out var process))
            {
                result[name] = process.Seconds;
            }
        }
        if (nodePid is { } node)
        {
            result[BrokerName] = all.Values.Where(p => p.Group == node).Sum(p => p.Seconds);
        }
        result[LoadToolName] = all[Environment.ProcessId].Seconds;
        return result;
    }

    /// <summary>Which operating-system process each CPU figure reads, in words (for the JSON's method).</summary>
    public Dictionary<string, string> MeasuredProcesses()
    {
        var all = ProcessCpu.ReadAll();
        var result = new Dictionary<string, string>();
        lock (pids)
        {
            foreach (var (name, pid) in pids)
            {
                result[name] = $"dotnet {name} service, pid {pid}";
            }
        }
        foreach (var (name, pid) in externalPids)
        {
            result[name] = $"{all.GetValueOrDefault(pid).Name} pid {pid}, listening on the external server's port on this machine";
        }
        if (nodePid is { } node)
        {
            var members = all.Where(p => p.Value.Group == node).Select(p => $"{p.Value.Name} {p.Key}");
            result[BrokerName] = $"process group {node} (the rabbitmq-server shell we started; the Erlang VM is its child beam.smp): {string.Join(", ", members)}";
        }
        result[LoadToolName] = $"this benchmark process, pid {Environment.ProcessId}";
        return result;
    }

    /// <summary>Servers given by URL that run on this machine: their CPU is measured too (a remote one's cannot be).</summary>
    private void FindExternalServers(BenchOptions options)
    {
        foreach (var (name, url) in new[] { (BrokerName, options.RabbitMq), (EventStoreName, options.EventStore), (MongoDbName, options.MongoDb) })
        {
            if (url is not null && LocalPort(url) is { } port && ProcessCpu.Listener(port) is { } pid)
            {
                externalPids[name] = pid;
            }
        }
    }

    private static int? LocalPort(string url)
    {
        // The first host of a URL that may list several (a cluster): only one on this machine is measured.
        var first = System.Text.RegularExpressions.Regex.Match(url, @"://(?:[^@/]*@)?(?<host>\[[^\]]+\]|[^:/,?]+)(?::(?<port>\d+))?",
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        var host = first.Groups["host"].Value;
        if (!first.Success || host is not ("localhost" or "127.0.0.1" or "[::1]"))
        {
            return null;
        }
        return first.Groups["port"].Success ? int.Parse(first.Groups["port"].Value, CultureInfo.InvariantCulture)
            : url.StartsWith("amqp", StringComparison.Ordinal) ? 5672 : url.StartsWith("mongodb", StringComparison.Ordinal) ? 27017 : 2113;
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
            if (Directory.Exists(mailSink))
            {
                Directory.Delete(mailSink, recursive: true);
            }
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
