using Microsoft.Extensions.Logging;

namespace ServiceDefaults;

/// <summary>
/// Runs a long-lived loop (the relay, the notification dispatcher) until the host stops: when it faults it is logged and
/// started again after a pause that doubles from one second up to <paramref name="maxPause"/>.
/// </summary>
public static class Supervisor
{
    public static async Task RunAsync(
        string name, Func<CancellationToken, Task> loop, ILogger logger, TimeSpan maxPause, CancellationToken stoppingToken, TimeProvider? clock = null)
    {
        var pause = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await loop(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A supervisor: whatever failed is logged and the loop starts again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "{Name} failed; restarting in {Pause}", name, pause);
                await Task.Delay(pause, clock ?? TimeProvider.System, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, maxPause.Ticks));
            }
        }
    }
}
