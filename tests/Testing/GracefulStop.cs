using System.Diagnostics;
using System.Globalization;

namespace Accounts.Testing;

/// <summary>Stops a process a test started: SIGTERM to its id, SIGKILL when it has not ended after 15 s, then disposes it.</summary>
public static class GracefulStop
{
    public static async Task StopAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
        }
        process.Dispose();
    }
}
