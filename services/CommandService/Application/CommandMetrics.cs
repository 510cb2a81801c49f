using System.Diagnostics.Metrics;

namespace CommandService.Application;

/// <summary>The command service's own meters: commands by outcome, the relay's lag behind the log and its batch sizes.</summary>
public static class CommandMetrics
{
    public const string MeterName = "Accounts.CommandService";
    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Commands =
        Meter.CreateCounter<long>("accounts.commands.handled", "{command}", "Commands handled, by command and outcome");

    private static readonly Histogram<double> RelayLag =
        Meter.CreateHistogram<double>("accounts.relay.lag", "ms", "Time from an event's append to its publish by the relay");

    private static readonly Histogram<int> RelayBatch =
        Meter.CreateHistogram<int>("accounts.relay.batch.size", "{message}", "Messages per batch the relay published",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    public static void Handled(string command, string outcome) =>
        Commands.Add(1, new("command", command), new("outcome", outcome));

    public static void Relayed(DateTimeOffset appendedAt, DateTimeOffset now) =>
        RelayLag.Record((now - appendedAt).TotalMilliseconds);

    public static void Batched(int messages) => RelayBatch.Record(messages);
}
