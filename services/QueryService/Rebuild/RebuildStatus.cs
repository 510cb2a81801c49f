namespace QueryService.Rebuild;

/// <summary>The states a rebuild is in: <c>idle | running | switching | done | failed</c>.</summary>
public static class RebuildState
{
    public const string Idle = "idle", Running = "running", Switching = "switching", Done = "done", Failed = "failed";
}

/// <summary>
/// What <c>GET /admin/rebuild</c> answers: the state, the feed position the build reached and the head it reads towards,
/// the messages applied per second in this run, the time left in seconds (from how fast positions advance), the generation
/// being built or switched to, and why it failed.
/// </summary>
public sealed record RebuildStatus(
    string State, ulong? Position, ulong? Head, double EventsPerSecond, double? Eta, int? Generation = null, long Events = 0, string? Error = null)
{
    public static RebuildStatus Idle { get; } = new(RebuildState.Idle, null, null, 0, null);

    public bool InProgress => State is RebuildState.Running or RebuildState.Switching;
}
