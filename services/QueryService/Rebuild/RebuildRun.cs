namespace QueryService.Rebuild;

/// <summary>How far one run of a rebuild got, and how fast: messages applied per second, and the time left from how fast positions advance.</summary>
internal sealed class RebuildRun
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly ulong _from;

    public RebuildRun(int generation, ulong? from, TimeProvider time)
    {
        (Generation, Position, _from, _time) = (generation, from, from ?? 0, time);
        _started = time.GetTimestamp();
    }

    public int Generation { get; }

    public ulong? Position { get; private set; }

    public ulong? Head { get; private set; }

    public long Events { get; private set; }

    private double Seconds => _time.GetElapsedTime(_started).TotalSeconds;

    public double EventsPerSecond => Seconds > 0 ? Events / Seconds : 0;

    /// <summary>Seconds left at the pace positions advanced so far in this run; null before there is a pace.</summary>
    public double? Eta
    {
        get
        {
            var (position, head) = (Position ?? 0, Head ?? 0);
            var advanced = (double)(position - _from);
            var left = head > position ? (double)(head - position) : 0;
            return advanced > 0 && Seconds > 0 ? left / (advanced / Seconds) : null;
        }
    }

    public void Reached(ulong? position, ulong? head, int events)
    {
        (Position, Head) = (position, head ?? Head);
        Events += events;
    }
}
