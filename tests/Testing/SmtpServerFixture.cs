using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Accounts.Testing;

/// <summary>
/// A real SMTP server for integration tests: Debian's <c>python3-aiosmtpd</c> on a free port of 127.0.0.1, storing every
/// accepted message in a Maildir in a temp folder. Started by <see cref="InitializeAsync"/>, stopped by its own process id;
/// <see cref="StopAsync"/> and <see cref="StartAsync"/> take it down and bring it back on the same port (an outage). A small
/// handler module makes the server exit when the test process dies. Without aiosmtpd it fails, saying what to install.
/// </summary>
public sealed class SmtpServerFixture : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] MaildirFolders = ["new", "cur"];

    private const string HandlerModule = """
        import os, threading, time
        from aiosmtpd.handlers import Mailbox

        class Handler(Mailbox):
            '''Stores messages in a Maildir; exits the server when the process that started it is gone.'''
            @classmethod
            def from_cli(cls, parser, *args):
                if len(args) != 2:
                    parser.error("usage: -c fixture_handler.Handler MAILDIR PARENT_PID")
                parent = int(args[1])
                def watch():
                    while True:
                        try:
                            os.kill(parent, 0)
                        except OSError:
                            os._exit(0)
                        time.sleep(1)
                threading.Thread(target=watch, daemon=True).start()
                return cls(args[0])
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("smtp-fixture-").FullName;
    private Process? _server;

    public const string Host = "127.0.0.1";

    public int Port { get; private set; }

    public string Maildir => Path.Combine(_folder, "maildir");

    public async Task InitializeAsync()
    {
        await EnsureInstalledAsync();
        await File.WriteAllTextAsync(Path.Combine(_folder, "fixture_handler.py"), HandlerModule);
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Starts the server (again) on <see cref="Port"/>; returns once it greets.</summary>
    public async Task StartAsync()
    {
        if (_server is { HasExited: false })
        {
            return;
        }
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList =
            {
                "-m", "aiosmtpd", "-n", "-l", $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}",
                "-c", "fixture_handler.Handler", Maildir, Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            },
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONPATH"] = _folder;
        var server = Process.Start(start) ?? throw new InvalidOperationException("Could not start aiosmtpd.");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        _server = server;
        await WaitUntilGreetingAsync(server);
    }

    /// <summary>Stops the server by its process id (an SMTP outage until <see cref="StartAsync"/>).</summary>
    public async Task StopAsync()
    {
        if (_server is not { } server)
        {
            return;
        }
        _server = null;
        if (!server.HasExited)
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
        server.Dispose();
    }

    /// <summary>The raw text of every message the server accepted so far (Maildir new/ and cur/).</summary>
    public IReadOnlyList<string> Messages() =>
        MaildirFolders
            .Select(sub => Path.Combine(Maildir, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Select(File.ReadAllText)
            .ToList();

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task EnsureInstalledAsync()
    {
        var missing = !File.Exists(Python);
        if (!missing)
        {
            using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            await probe.WaitForExitAsync();
            missing = probe.ExitCode != 0;
        }
        if (missing)
        {
            throw new InvalidOperationException(
                "No SMTP server for the integration tests: /usr/bin/python3 with aiosmtpd is missing. Install it with `apt-get install python3-aiosmtpd`.");
        }
    }

    /// <summary>Until the server answers a connection with its 220 greeting, at most <see cref="StartTimeout"/>; fails at once if it exits.</summary>
    private Task WaitUntilGreetingAsync(Process server) =>
        Eventually.UntilAsync($"aiosmtpd to greet on {Host}:{Port}", () => server.HasExited
            ? throw new InvalidOperationException($"aiosmtpd exited with code {server.ExitCode} while starting on {Host}:{Port}.")
            : GreetsAsync(), StartTimeout);

    private async Task<bool> GreetsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            using var reader = new StreamReader(client.GetStream());
            return (await reader.ReadLineAsync())?.StartsWith("220", StringComparison.Ordinal) == true;
        }
        catch (SocketException)
        {
            return false; // not listening yet
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
