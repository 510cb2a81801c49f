using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EndToEnd.Tests;

/// <summary>
/// One service as its own operating-system process (its own build, as <c>make run-local</c> runs it) on a fixed free port
/// of 127.0.0.1, configured by environment variables; it can be killed (SIGKILL, by its process id) and started again
/// with the same port and configuration. Its output is appended to <c>artifacts/fault-test/&lt;name&gt;.log</c>.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string _project;
    private readonly string _log;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Process? _process;

    private ServiceProcess(string project, Uri url, string log, IReadOnlyDictionary<string, string> environment) =>
        (_project, Url, _log, _environment) = (project, url, log, environment);

    public Uri Url { get; }

    /// <summary>Where the logs of every service started this way go: kept after the run as test artifacts.</summary>
    public static string Artifacts { get; } = Path.Combine(Tools.RepoRoot, "artifacts", "fault-test");

    /// <summary>A free port for a service to be started later (so others can be told its URL first).</summary>
    public static Uri FreeUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Starts <paramref name="project"/>'s build on <paramref name="url"/> and waits until it reports ready.</summary>
    public static async Task<ServiceProcess> StartAsync(string project, Uri url, IReadOnlyDictionary<string, string> environment)
    {
        Directory.CreateDirectory(Artifacts);
        var log = Path.Combine(Artifacts, project + ".log");
        File.Delete(log);
        var service = new ServiceProcess(project, url, log, environment);
        await service.RestartAsync();
        return service;
    }

    /// <summary>A client of this service that sends the all-scopes test token.</summary>
    public HttpClient Client() => new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) }.WithToken();

    /// <summary>SIGKILL: no shut-down of any kind; what the process held in memory is gone.</summary>
    public void Kill()
    {
        var process = _process ?? throw new InvalidOperationException($"{_project} is not running.");
        process.Kill(entireProcessTree: false); // SIGKILL to this process id
        process.WaitForExit();
        process.Dispose();
        _process = null;
    }

    /// <summary>Starts the service (again, after <see cref="Kill"/>) and waits until <c>/health/ready</c> answers 200.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Tools.RepoRoot };
        // The shell only appends the output to the log and then becomes the service (exec): the process id is the service's.
        foreach (var arg in (string[])["-c", "exec \"$@\" >>\"$LOG\" 2>&1 </dev/null", _project,
                     "dotnet", Tools.ServiceDll(_project), "--urls", Url.ToString(), "--contentRoot", Path.Combine(Tools.RepoRoot, "services", _project)])
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LOG"] = _log;
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_project}.");
        ProcessWatchdog.StopWhenEnded(Environment.ProcessId, _process.Id.ToString(CultureInfo.InvariantCulture));
        using var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.UntilAsync($"{_project} at {Url} to be ready (log: {_log})", async () =>
        {
            try
            {
                return (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90));
    }

    /// <summary>Stops the service by SIGTERM to its process id (SIGKILL if it has not ended after 15 s).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is not { } process)
        {
            return;
        }
        await GracefulStop.StopAsync(process);
        _process = null;
    }
}
