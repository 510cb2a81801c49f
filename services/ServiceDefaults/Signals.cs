namespace ServiceDefaults;

public static class Signals
{
    /// <summary>
    /// Whether <paramref name="signal"/> completed within <paramref name="timeout"/> (on <paramref name="time"/>). Unlike a
    /// Task.Delay raced against the signal, whose timer stays queued until it fires, the timer goes as soon as the signal
    /// comes (a follower's wait per commit left ~1,400 live timers in the command service at 950 commands/s).
    /// </summary>
    public static async Task<bool> CompletesWithinAsync(
        this Task signal, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        try
        {
            await signal.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
