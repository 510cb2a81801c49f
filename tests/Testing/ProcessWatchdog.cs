using System.Diagnostics;

namespace Accounts.Testing;

/// <summary>
/// Stops what a test started when the test process ends without stopping it (killed, crashed, cancelled run): a detached
/// shell (its own session) waits for the test process to exit (<c>tail --pid</c>), sends SIGTERM to the targets, waits up
/// to 5 s for the first of them to exit, then sends SIGKILL.
/// </summary>
public static class ProcessWatchdog
{
    /// <param name="testProcessId">The process whose end triggers the stop.</param>
    /// <param name="targets">Arguments of <c>kill</c>: a process id, or <c>-id</c> for a whole process group.</param>
    public static void StopWhenEnded(int testProcessId, params string[] targets)
    {
        var list = string.Join(' ', targets);
        var first = targets[0].TrimStart('-');
        // /usr/bin/kill, not the shell's: dash's built-in kill takes neither "--" nor a negative id (a process group).
        // Its own stdio: the pipes .NET gives it close with the Process object, and a write to them would end it (SIGPIPE).
        var script = $"exec </dev/null >/dev/null 2>&1; tail --pid={testProcessId} -f /dev/null; /usr/bin/kill -TERM -- {list}; " +
            $"timeout 5 tail --pid={first} -f /dev/null; /usr/bin/kill -KILL -- {list}";
        using var watchdog = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", script])
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        });
    }
}
