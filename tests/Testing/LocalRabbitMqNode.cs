using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RabbitMQ.Client;

namespace Accounts.Testing;

/// <summary>
/// A private node of the locally installed <c>rabbitmq-server</c>: its own temp folder (config, mnesia, logs, Erlang cookie),
/// a unique node name, free ports on 127.0.0.1 for AMQP, Erlang distribution and its own epmd. Each process is started in a
/// new session (<c>setsid</c>) so it leads its own process group, and is stopped by that process id; a watchdog stops both
/// if the test process dies without stopping them.
/// </summary>
public sealed class LocalRabbitMqNode
{
    const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    const string ControlScript = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    internal const string Epmd = "/usr/bin/epmd";
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    readonly string _folder;
    readonly Dictionary<string, string> _environment;
    readonly Process? _epmd;
    Process _server;
    int _stopped;

    LocalRabbitMqNode(string folder, string nodeName, int amqpPort, Dictionary<string, string> environment, Process? epmd, Process server)
    {
        _folder = folder;
        _environment = environment;
        AmqpPort = amqpPort;
        NodeName = nodeName;
        AmqpUrl = $"amqp://guest:guest@127.0.0.1:{amqpPort}/";
        _epmd = epmd;
        _server = server;
    }

    public string NodeName { get; }

    public string AmqpUrl { get; }

    public int AmqpPort { get; }

    public static bool IsInstalled() => File.Exists(ServerScript) && File.Exists(Epmd);

    public static Task<LocalRabbitMqNode> StartAsync() => StartAsync(cluster: null);

    /// <summary>
    /// Starts a node; as a member of <paramref name="cluster"/> it shares that cluster's epmd (so the nodes find each other by
    /// name) and its Erlang cookie (so they trust each other), and it still has its own folder and ports.
    /// </summary>
    internal static async Task<LocalRabbitMqNode> StartAsync(ClusterMembership? cluster)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = await StartOnceAsync(cluster);
            try
            {
                // A port found free can be taken by another process before the node binds it: the node then dies at the
                // end of its boot (eaddrinuse) while that other process answers on the port. Only a booted node counts.
                await node.ControlAsync("await_startup");
                return node;
            }
            catch (InvalidOperationException)
            {
                node.Stop(deleteFolder: false);
                if (attempt == 3)
                    throw;
            }
        }
    }

    private static async Task<LocalRabbitMqNode> StartOnceAsync(ClusterMembership? cluster)
    {
        var folder = Directory.CreateTempSubdirectory("rabbitmq-fixture-").FullName;
        var nodeName = $"fixture-{Guid.NewGuid().ToString("N")[..8]}@localhost";
        var (amqpPort, distPort) = (FreePort(), FreePort());
        var epmdPort = cluster?.EpmdPort ?? FreePort();

        var configFile = Path.Combine(folder, "rabbitmq.conf");
        await File.WriteAllTextAsync(configFile, $"""
            listeners.tcp.default = 127.0.0.1:{amqpPort}
            loopback_users = none
            log.file.level = warning
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[].");
        await File.WriteAllTextAsync(Path.Combine(folder, "rabbitmq-env.conf"), string.Empty);
        if (cluster is not null)
        {
            var cookie = Path.Combine(folder, ".erlang.cookie");
            await File.WriteAllTextAsync(cookie, cluster.Cookie);
            if (!OperatingSystem.IsWindows()) // rabbitmq-server runs on Linux here; Erlang refuses a cookie others can read
                File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
        }

        var environment = new Dictionary<string, string>
        {
            ["HOME"] = folder,
            ["RABBITMQ_NODENAME"] = nodeName,
            ["RABBITMQ_DIST_PORT"] = distPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_CONFIG_FILE"] = configFile,
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(folder, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(folder, "rabbitmq-env.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins"),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log"),
            ["RABBITMQ_LOGS"] = Path.Combine(folder, "log", "node.log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(folder, "node.pid"),
            // Erlang distribution (node to node, and rabbitmqctl) on loopback only.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            // Makes the start script exec erl in the foreground (no signal-forwarding shell in between), so the process we
            // start is the Erlang VM itself.
            ["RUNNING_UNDER_SYSTEMD"] = "true",
        };

        var epmd = cluster is null ? StartInOwnSession(Epmd, ["-port", epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"], environment, folder) : null;
        var server = StartInOwnSession(ServerScript, [], environment, folder);
        ProcessWatchdog.StopWhenEnded(Environment.ProcessId, epmd is null ? [$"-{server.Id}"] : [$"-{server.Id}", $"-{epmd.Id}"]);

        var node = new LocalRabbitMqNode(folder, nodeName, amqpPort, environment, epmd, server);
        try
        {
            await node.WaitUntilAmqpAcceptsAsync();
            return node;
        }
        catch
        {
            node.Stop(deleteFolder: false);
            throw;
        }
    }

    /// <summary>Kills the node's Erlang VM at once (SIGKILL to its process group, by its id): no clean shut-down, its data stays.</summary>
    public void Kill()
    {
        KillProcessGroup(_server.Id);
        _server.WaitForExit(TimeSpan.FromSeconds(10));
    }

    /// <summary>Starts the node again after <see cref="Kill"/>: the same name, folder and ports, so it rejoins its cluster.</summary>
    public async Task RestartAsync()
    {
        var killed = _server;
        _server = StartInOwnSession(ServerScript, [], _environment, _folder);
        killed.Dispose();
        ProcessWatchdog.StopWhenEnded(Environment.ProcessId, $"-{_server.Id}");
        await WaitUntilAmqpAcceptsAsync();
    }

    /// <summary>Runs <c>rabbitmqctl</c> against this node (its cookie, its epmd) and returns what it printed.</summary>
    public async Task<string> ControlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(ControlScript) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(NodeName);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in new[] { "HOME", "ERL_EPMD_PORT" })
            start.Environment[name] = _environment[name];
        using var control = Process.Start(start) ?? throw new InvalidOperationException("Could not start rabbitmqctl.");
        var output = control.StandardOutput.ReadToEndAsync();
        var error = control.StandardError.ReadToEndAsync();
        await control.WaitForExitAsync();
        if (control.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} on {NodeName} failed ({control.ExitCode}): {await error}");
        return await output;
    }

    /// <summary>Stops the node and its epmd by their own process ids (their process groups), then deletes the temp folder.</summary>
    public void Stop() => Stop(deleteFolder: true);

    void Stop(bool deleteFolder)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;

        foreach (var process in new[] { _server, _epmd }.OfType<Process>())
        {
            KillProcessGroup(process.Id);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            process.Dispose();
        }

        if (deleteFolder)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A log file still being closed; the temp folder is cleaned by the OS eventually.
            }
        }
    }

    async Task WaitUntilAmqpAcceptsAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri(AmqpUrl) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_server.HasExited)
                throw new InvalidOperationException($"rabbitmq-server node {NodeName} exited with code {_server.ExitCode} while starting.{LogTail()}");

            try
            {
                await using var connection = await factory.CreateConnectionAsync();
                return;
            }
            catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException or SocketException)
            {
                if (deadline.Elapsed > StartTimeout)
                    throw new TimeoutException($"rabbitmq-server node {NodeName} did not accept AMQP connections on {AmqpUrl} within {StartTimeout.TotalSeconds} s.{LogTail()}", ex);
                await Task.Delay(200);
            }
        }
    }

    string LogTail()
    {
        var log = Path.Combine(_folder, "log", "node.log");
        return File.Exists(log) ? $"{Environment.NewLine}Last lines of {log}:{Environment.NewLine}{string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(30))}" : string.Empty;
    }

    internal static Process StartInOwnSession(string program, string[] arguments, Dictionary<string, string> environment, string workingDirectory)
    {
        // setsid execs the program in a new session (it is not a group leader when started from here), so the process id
        // we get is the program's and it leads its own process group.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static void KillProcessGroup(int processGroupId)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", $"-{processGroupId}"]) { UseShellExecute = false, RedirectStandardError = true });
        kill?.WaitForExit();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
