using System.Diagnostics;

namespace Accounts.Benchmark;

/// <summary>Latency samples in milliseconds from many tasks at once; percentiles are taken by sorting at the end.</summary>
public sealed class Latencies
{
    private readonly Lock gate = new();
    private readonly List<double> samples = new(1 << 14);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return samples.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (gate)
        {
            samples.Add(milliseconds);
        }
    }

    /// <summary>Adds the time elapsed since a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public void AddSince(long startTimestamp) => Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    public Percentiles Summarize()
    {
        double[] sorted;
        lock (gate)
        {
            sorted = [.. samples];
        }
        Array.Sort(sorted);
        return sorted.Length == 0
            ? new Percentiles(0, null, null, null, null)
            : new Percentiles(sorted.Length, At(sorted, 0.50), At(sorted, 0.95), At(sorted, 0.99), sorted[^1]);
    }

    // Nearest rank: the smallest sample with at least p of all samples at or below it.
    private static double At(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>p50/p95/p99/max in milliseconds over <see cref="Count"/> samples; null when there were none.</summary>
public sealed record Percentiles(int Count, double? P50, double? P95, double? P99, double? Max);
