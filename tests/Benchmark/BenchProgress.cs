using System.Diagnostics;

namespace Accounts.Benchmark;

/// <summary>What the live view shows: the phase that runs and its counters, written by the phases, read by the view.</summary>
public sealed class BenchProgress
{
    private long phaseStarted = Stopwatch.GetTimestamp();
    private long sent;
    private long done;
    private long failed;
    private long verified;

    public string Phase { get; private set; } = "starting";
    public string Detail { get; set; } = "";

    /// <summary>What the counters mean in this phase, e.g. ("published", "consumed", "lost", "").</summary>
    public (string Sent, string Done, string Failed, string Verified) Labels { get; private set; } = ("sent", "done", "failed", "verified");

    public long Sent => Interlocked.Read(ref sent);
    public long Done => Interlocked.Read(ref done);
    public long Failed => Interlocked.Read(ref failed);
    public long Verified => Interlocked.Read(ref verified);
    public TimeSpan PhaseElapsed => Stopwatch.GetElapsedTime(Interlocked.Read(ref phaseStarted));

    public void Begin(string phase, (string Sent, string Done, string Failed, string Verified) labels, string detail = "")
    {
        Interlocked.Exchange(ref sent, 0);
        Interlocked.Exchange(ref done, 0);
        Interlocked.Exchange(ref failed, 0);
        Interlocked.Exchange(ref verified, 0);
        Interlocked.Exchange(ref phaseStarted, Stopwatch.GetTimestamp());
        Labels = labels;
        Detail = detail;
        Phase = phase;
    }

    public void AddSent() => Interlocked.Increment(ref sent);
    public void AddDone() => Interlocked.Increment(ref done);
    public void AddFailed() => Interlocked.Increment(ref failed);
    public void AddVerified() => Interlocked.Increment(ref verified);
}
