using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spectre.Console;

namespace Accounts.Benchmark;

/// <summary>Every figure of a run: printed as a table and written as JSON (bench-results/latest.json).</summary>
public sealed record BenchResult(
    DateTimeOffset Date,
    object Machine,
    double? BaselineMessagesPerSecond,
    double? BaselineLatencyP50Ms,
    double? BaselineLatencyP99Ms,
    double? AcceptedCommandsPerSecond,
    double? EndToEndCommandsPerSecond,
    double? Ratio,
    IReadOnlyDictionary<string, double>? CpuMicrosPerCommand,
    int? PacedRate,
    string? PacedRateSource,
    double? PacedCommandP50Ms,
    double? PacedCommandP95Ms,
    double? PacedCommandP99Ms,
    double? PacedVisibilityP50Ms,
    double? PacedVisibilityP95Ms,
    double? PacedVisibilityP99Ms,
    double? PacedNotificationP50Ms,
    double? PacedNotificationP95Ms,
    double? PacedNotificationP99Ms,
    IReadOnlyDictionary<string, double> PeakRssMb,
    Adapters Adapters,
    double? TokenValidationMicroseconds,
    BaselineResult? Baseline,
    SaturationResult? Saturation,
    PacedResult? Paced,
    IReadOnlyDictionary<string, string> Method,
    RebuildResult? Rebuild = null);

public static class Report
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static BenchResult Build(BenchOptions options, BaselineResult? baseline, SaturationResult? saturation, PacedResult? paced, IReadOnlyDictionary<string, double> peakRss, double? tokenValidation,
        string pacedRateSource, IReadOnlyDictionary<string, string> measuredProcesses) => new(
        DateTimeOffset.UtcNow,
        new
        {
            processors = Environment.ProcessorCount,
            cpu = CpuModel(),
            os = RuntimeInformation.OSDescription,
            runtime = RuntimeInformation.FrameworkDescription,
            broker = baseline is null ? null : "RabbitMQ " + baseline.BrokerVersion,
        },
        Round(baseline?.MessagesPerSecond, 0), Round(baseline?.Latency.P50), Round(baseline?.Latency.P99),
        Round(saturation?.AcceptedPerSecond, 0), Round(saturation?.EndToEndPerSecond, 0),
        Round(saturation?.EndToEndPerSecond / baseline?.MessagesPerSecond, 3),
        saturation?.CpuMicrosPerCommand,
        paced?.Rate, paced is null ? null : pacedRateSource,
        Round(paced?.CommandLatency.P50), Round(paced?.CommandLatency.P95), Round(paced?.CommandLatency.P99),
        Round(paced?.Visibility.P50), Round(paced?.Visibility.P95), Round(paced?.Visibility.P99),
        Round(paced?.NotificationVisibility.P50), Round(paced?.NotificationVisibility.P95), Round(paced?.NotificationVisibility.P99),
        peakRss, Adapters.Of(options), Round(tokenValidation, 2), baseline, saturation, paced,
        new Dictionary<string, string>
        {
            ["baseline"] = $"raw RabbitMQ.Client 7: {options.BaselineInFlight} publishes in flight on one channel with confirms and confirmation tracking (each publish awaits its confirm), {Baseline.BodySize}-byte persistent messages to one durable queue, consumed at the same time with manual acks (prefetch {options.BaselinePrefetch}) for {options.BaselineSeconds} s; messages/s = consumed ÷ time from the first publish to the last delivery; latency = publish start → delivery.",
            ["saturation"] = $"{options.Workers} closed-loop HTTP workers: a warm-up, not measured ({options.WarmupSeconds} s of the same load, then its users verified: the services start cold and tier their write path up under the load, their read path under the verification), then from the drained system {options.SaturationSeconds} s measured; mix: {Workload.RegisterShare:P0} registrations, else rename 40 % / change e-mail 40 % / deactivate 20 % (reactivate when deactivated); accepted/s = accepted commands ÷ load time; end-to-end/s = the measured window's accepted commands ÷ time from the window's start until every user a command of the window touched was verified (GET /users/{{id}}?minVersion=final answered 200 and GET /users/{{id}}/notifications held every expected notification), verification newest-first, {options.Workers} at a time, after the load; its own time counts.",
            ["cpu"] = "cpuMicrosPerCommand: CPU time (utime + stime from /proc/PID/stat) each process used from the start of the saturation phase's measured window until every user was verified, ÷ the commands accepted in the window (all of them verified end to end when endToEndCommandsPerSecond is set); total = the services + the broker (+ an external event store or MongoDB running on this machine), without the load tool; totalWithLoadTool adds it. Processes read: "
                + string.Join("; ", measuredProcesses.Select(m => $"{m.Key} = {m.Value}")) + ".",
            ["paced"] = $"open loop at {paced?.Rate} commands/s ({pacedRateSource}) for {options.PacedSeconds} s (a 1 ms dispatcher sends each command at its due time), same mix; command latency = due time → answer; visibility = answer → 200 of GET /users/{{id}}?minVersion=v sent right after the answer; notification = answer → the list holds the command's notifications (GET /users/{{id}}/notifications?minCount=N sent right after the answer, which the service answers once they are recorded) on every {options.NotificationSampleEvery}th command that causes one.",
            ["token"] = $"bearer token validation as the services do it (JsonWebTokenHandler, HS256, issuer, audience, lifetime), {TokenValidationCost.Iterations:N0} validations of one all-scopes token on one thread after a warm-up; every request pays it once.",
            ["rebuild"] = $"POST /admin/rebuild on the query service (views rebuilt from the command service's feed into a new generation, then switched), {RebuildPhase.Readers} readers querying existing views meanwhile; a first rebuild (cold: firstEventsPerSecond), more for the warm-up time ({options.WarmupSeconds} s; 0: the first is the measured one), then the measured one; events/s = events ÷ time from POST to done.",
            ["memory"] = "peak resident set size (VmHWM from /proc/PID/status) of each service process the benchmark started, read before stopping it.",
        });

    public static async Task WriteJsonAsync(BenchResult result, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, result, JsonOptions);
    }

    public static Table Table(BenchResult r)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]make bench[/]")
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("target");
        void Row(string figure, string value, string target = "") => table.AddRow(Markup.Escape(figure), value, Markup.Escape(target));
        void Section(string title) => table.AddRow($"[bold underline]{Markup.Escape(title)}[/]", "", "");

        Section("adapters");
        Row("event store", Markup.Escape(r.Adapters.EventStore));
        Row("views", Markup.Escape(r.Adapters.Views));
        Row("notification log", Markup.Escape(r.Adapters.NotificationLog));
        Row("broker", Markup.Escape(r.Adapters.Broker));
        if (r.Baseline is { } b)
        {
            Section($"baseline: raw RabbitMQ.Client, RabbitMQ {b.BrokerVersion}");
            Row("messages/s (publish+confirm ‖ consume+ack)", N(b.MessagesPerSecond));
            Row("publish → delivery p50 / p99", $"{Ms(b.Latency.P50)} / {Ms(b.Latency.P99)}");
        }
        if (r.Saturation is { } s)
        {
            Section($"saturation: {s.Workers} workers, {s.LoadSeconds:0.0} s measured after a {s.WarmupSeconds:0} s warm-up, {s.Users:N0} users");
            Row("accepted commands/s", N(s.AcceptedPerSecond));
            Row("command latency p50 / p99", $"{Ms(s.CommandLatency.P50)} / {Ms(s.CommandLatency.P99)}");
            Row("end-to-end commands/s", s.EndToEndPerSecond is { } e ? N(e)
                : $"[red]{s.UsersBehind} users behind (query {s.QueryBehind}, notifications {s.NotificationsBehind})[/]",
                r.Baseline is { } baseline ? $"≥ {N(baseline.MessagesPerSecond / 6)} (baseline ÷ 6)" : "≥ baseline ÷ 6");
            foreach (var line in s.BehindSample.Where((_, i) => i % 5 < 2)) // two of each kind; all in the JSON
            {
                Row("  behind", $"[red]{Markup.Escape(line)}[/]");
            }
            Row("  all verified after", $"{s.VerifiedAfterSeconds:0.0} s");
            Row("ratio end-to-end ÷ baseline", r.Ratio is { } ratio ? $"{ratio:0.000} (1/{1 / ratio:0.0})" : "-", "≥ 1/6");
            Row("CPU % of one core during load", Cpu(s.LoadCpuPercent));
            Row("CPU % of one core while verifying", Cpu(s.VerifyCpuPercent));
            var perCommand = s.CpuMicrosPerCommand;
            Row("CPU µs per end-to-end command", Cpu(perCommand.Where(p => !p.Key.StartsWith("total", StringComparison.Ordinal)).ToDictionary()));
            Row("  total: services + broker (with the load tool)", $"{perCommand.GetValueOrDefault("total"):N0} µs ({perCommand.GetValueOrDefault("totalWithLoadTool"):N0} µs)");
            if (s.Failed > 0)
            {
                Row("failed commands", $"[red]{s.Failed:N0}[/] ({string.Join(", ", s.FailedByStatus.Select(f => $"{f.Key}: {f.Value}"))})");
            }
        }
        if (r.Paced is { } p)
        {
            Section($"paced: {p.Rate}/s ({r.PacedRateSource}) open loop, {p.Seconds:0.0} s, {p.SentPerSecond:0} sent/s");
            Row("command p50 / p95 / p99", $"{Ms(p.CommandLatency.P50)} / {Ms(p.CommandLatency.P95)} / {Ms(p.CommandLatency.P99)}", "p99 ≤ 10 ms");
            Row("query visibility p50 / p95 / p99", $"{Ms(p.Visibility.P50)} / {Ms(p.Visibility.P95)} / {Ms(p.Visibility.P99)}", "p99 ≤ 10 ms");
            Row($"notification visibility p50 / p95 / p99 (n={p.NotificationVisibility.Count})",
                $"{Ms(p.NotificationVisibility.P50)} / {Ms(p.NotificationVisibility.P95)} / {Ms(p.NotificationVisibility.P99)}", "p99 ≤ 50 ms");
            Row("slowest command answers, by second of the phase", string.Join("  ", p.CommandMaxMsBySecond
                .Select((ms, second) => (ms, second)).OrderByDescending(x => x.ms).Take(3).Select(x => $"{x.second} s: {Ms(x.ms)}")));
            Row("CPU % of one core", Cpu(p.CpuPercent));
            if (p.Failed + p.VisibilityTimeouts + p.NotificationTimeouts > 0)
            {
                Row("failed / not visible in 5 s / not notified in 10 s", $"[red]{p.Failed:N0} / {p.VisibilityTimeouts:N0} / {p.NotificationTimeouts:N0}[/]");
            }
        }
        if (r.Rebuild is { } rebuild)
        {
            Section($"rebuild of the query views from the feed: {rebuild.Events:N0} events in {rebuild.Seconds:0.00} s"
                + (rebuild.WarmupRebuilds > 0 ? $", after {rebuild.WarmupRebuilds} warm-up rebuilds" : ", the first (cold)"));
            Row("events/s rebuilt (the service's own figure)", $"{N(rebuild.EventsPerSecond)} ({N(rebuild.ReportedEventsPerSecond)})", "≥ 50,000");
            if (rebuild.WarmupRebuilds > 0)
            {
                Row("  the first rebuild, cold", $"{N(rebuild.FirstEventsPerSecond)} events/s");
            }
            Row($"served views during it: GET p50 / p95 / p99 (n={rebuild.QueryLatency.Count})",
                $"{Ms(rebuild.QueryLatency.P50)} / {Ms(rebuild.QueryLatency.P95)} / {Ms(rebuild.QueryLatency.P99)}");
            if (rebuild.NotOk > 0)
            {
                Row("answers other than 200", $"[red]{rebuild.NotOk:N0}[/]");
            }
        }
        if (r.TokenValidationMicroseconds is { } token)
        {
            Section("bearer tokens");
            var share = r.Saturation is { } sat ? $" (≈ {token * sat.AcceptedPerSecond / 10_000:0.0} % of one core at the saturation rate)" : "";
            Row("token validation per request", $"{token:0.00} µs{share}");
        }
        if (r.PeakRssMb.Count > 0)
        {
            Section("peak RSS (VmHWM)");
            foreach (var (name, mb) in r.PeakRssMb)
            {
                Row(name + " service", $"{mb:0} MB", "≤ 200 MB");
            }
        }
        return table;
    }

    private static string Cpu(IReadOnlyDictionary<string, double> percent) =>
        string.Join("  ", percent.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value:0}"));

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } v ? v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms" : "-";

    private static double? Round(double? value, int digits = 2) => value is { } v ? Math.Round(v, digits) : null;

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
