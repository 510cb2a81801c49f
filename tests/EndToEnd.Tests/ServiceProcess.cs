using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EndToEnd.Tests;

/// <summary>
/// One service as its own process (its build's dll) on 127.0.0.1 and a free port, over the shared broker behind a prefix,
/// with its data in a folder the caller owns: it can be killed by process id (SIGKILL, no clean stop) and started again
/// on the same data. The log goes to <c>{folder}/{name}.log</c>.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string _project, _name, _folder;
    private readonly Dictionary<string, string> _environment;
    private readonly string[] _args;
    private Process? _process;

    public ServiceProcess(string project, string name, string folder, Dictionary<string, string> environment, params string[] args)
    {
        (_project, _name, _folder, _environment, _args) = (project, name, folder, environment, args);
        Url = new Uri($"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri Url { get; }

    public HttpClient CreateClient() => new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) }.WithToken();

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = _folder };
        foreach (var arg in (string[])["-c", "exec \"$@\" >>\"$LOG\" 2>&1 </dev/null", _name, "dotnet", Tools.ServiceDll(_project),
            "--urls", Url.ToString(), "--contentRoot", Path.Combine(Tools.RepoRoot, "services", _project), .. _args])
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LOG"] = Path.Combine(_folder, _name + ".log");
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_project}");
        using var probe = new HttpClient();
        await Eventually.UntilAsync($"{_name} at {Url} to be ready", async () =>
        {
            try
            {
                return (await probe.GetAsync(new Uri(Url, "/health/ready"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90));
    }

    /// <summary>SIGKILL by process id: no host shutdown, whatever was in flight is cut off.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", ["-KILL", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public string Log => File.Exists(Path.Combine(_folder, _name + ".log")) ? File.ReadAllText(Path.Combine(_folder, _name + ".log")) : "";

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }
        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
