using System.Diagnostics;
using Accounts.Benchmark;
using ServiceDefaults.Auth;
using Spectre.Console;

// make bench: start (or use) the system, measure the broker's ceiling, saturate, pace, report. See BenchOptions.Usage.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var repoRoot = RepoRoot();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop the phases, then stop what we started
    cancel.Cancel();
};

var progress = new BenchProgress();
ServiceProcesses? system = null;
BaselineResult? baseline = null;
SaturationResult? saturation = null;
PacedResult? paced = null;
RebuildResult? rebuild = null;
IReadOnlyDictionary<string, double> peakRss = new Dictionary<string, double>();
Exception? failure = null;
double? tokenValidation = null;
(int Rate, string Source) pacedRate = (0, "");
IReadOnlyDictionary<string, string> measured = new Dictionary<string, string>();

var work = Task.Run(async () =>
{
    try
    {
        system = await ServiceProcesses.StartAsync(options, repoRoot, progress, cancel.Token);
        if (options.Phases.Contains("baseline"))
        {
            progress.Begin("baseline", ("published", "consumed", "", ""), $"raw RabbitMQ.Client, {options.BaselineInFlight} in flight, prefetch {options.BaselinePrefetch}");
            baseline = await Baseline.RunAsync(system.AmqpUrl, TimeSpan.FromSeconds(options.BaselineSeconds),
                options.BaselineInFlight, options.BaselinePrefetch, progress, cancel.Token);
        }
        pacedRate = options.PacedRateFor(baseline);
        using var client = options.Phases.Overlaps(["saturation", "paced"]) ? new SystemClient(system.Command, system.Query, system.Notification, DevelopmentTokens.AllScopes(options.SigningKey)) : null;
        var load = new Load(client!, progress, system.CpuSeconds);
        if (options.Phases.Contains("saturation"))
        {
            saturation = await load.SaturateAsync(options.Workers, TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.SaturationSeconds),
                TimeSpan.FromSeconds(options.DrainTimeoutSeconds), cancel.Token);
        }
        if (options.Phases.Contains("paced"))
        {
            paced = await load.PaceAsync(pacedRate.Rate, TimeSpan.FromSeconds(options.PacedSeconds), options.NotificationSampleEvery, cancel.Token);
        }
        if (options.Phases.Contains("rebuild"))
        {
            rebuild = await RebuildPhase.RunAsync(system.Query, DevelopmentTokens.AllScopes(options.SigningKey), TimeSpan.FromSeconds(options.WarmupSeconds), progress, cancel.Token);
        }
        peakRss = system.PeakRssMb();
        measured = system.MeasuredProcesses();
        tokenValidation = TokenValidationCost.Measure(options.SigningKey);
    }
    catch (Exception e)
    {
        failure = e;
        if (system is not null && e is not OperationCanceledException)
        {
            var logs = system.Started.Select(name => $"\n--- {name} service log (last lines) ---\n{system.LogTail(name)}");
            failure = new InvalidOperationException(e.Message + string.Concat(logs), e);
        }
    }
    finally
    {
        progress.Begin("stopping", ("", "", "", ""), "services by process id, then the broker node");
        if (system is not null)
        {
            await system.DisposeAsync();
            if (options.KeepData)
            {
                AnsiConsole.MarkupLine($"stores and service logs kept in [blue]{Markup.Escape(system.DataDir)}[/]");
            }
        }
    }
});

if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 120; // a pipe has no width; keep the table readable
}
try
{
    if (AnsiConsole.Profile.Capabilities.Interactive)
    {
        await AnsiConsole.Live(new Text("starting")).AutoClear(true).StartAsync(async context =>
        {
            var rate = new RateMeter();
            while (!work.IsCompleted)
            {
                context.UpdateTarget(LiveView(progress, rate.Next(progress.Done), system));
                context.Refresh();
                await Task.WhenAny(work, Task.Delay(500));
            }
        });
    }
    else
    {
        // Not a terminal (CI, a pipe): a line per phase and one every 5 s instead of a live view.
        var (rate, phase, lastLine) = (new RateMeter(), "", Stopwatch.GetTimestamp());
        while (!work.IsCompleted)
        {
            var perSecond = rate.Next(progress.Done);
            if (progress.Phase != phase || Stopwatch.GetElapsedTime(lastLine) > TimeSpan.FromSeconds(5))
            {
                (phase, lastLine) = (progress.Phase, Stopwatch.GetTimestamp());
                AnsiConsole.Write(LiveView(progress, perSecond, system));
            }
            await Task.WhenAny(work, Task.Delay(500));
        }
    }
}
finally
{
    await work; // whatever happened to the view, the cleanup runs to its end
}

if (failure is not null)
{
    AnsiConsole.MarkupLine(failure is OperationCanceledException ? "[yellow]cancelled[/]" : $"[red]failed:[/] {Markup.Escape(failure.Message)}");
    return 1;
}
var result = Report.Build(options, baseline, saturation, paced, peakRss, tokenValidation, pacedRate.Source, measured) with { Rebuild = rebuild };
var output = Path.Combine(repoRoot, options.Output);
await Report.WriteJsonAsync(result, output);
AnsiConsole.Write(Report.Table(result));
AnsiConsole.MarkupLine($"written to [blue]{Markup.Escape(Path.GetRelativePath(repoRoot, output))}[/]");
return 0;

static Table LiveView(BenchProgress progress, double rate, ServiceProcesses? system)
{
    var (sent, done, failed, verified) = progress.Labels;
    var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
    table.AddRow("[bold]phase[/]", $"[bold yellow]{Markup.Escape(progress.Phase)}[/]  {progress.PhaseElapsed.TotalSeconds:0.0} s");
    table.AddRow("", Markup.Escape(progress.Detail));
    var counters = new[] { (sent, progress.Sent), (done, progress.Done), (failed, progress.Failed), (verified, progress.Verified) }
        .Where(c => c.Item1.Length > 0).Select(c => $"{Markup.Escape(c.Item1)} [bold]{c.Item2:N0}[/]");
    table.AddRow("counts", string.Join("   ", counters));
    if (done.Length > 0)
    {
        table.AddRow("rate", $"{rate:N0} {Markup.Escape(done)}/s");
    }
    if (system?.RssMb() is { Count: > 0 } rss)
    {
        table.AddRow("RSS", string.Join("   ", rss.Select(r => $"{r.Key} {r.Value:0} MB")));
    }
    return table;
}

static string RepoRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Microservices.sln")))
            {
                return dir.FullName;
            }
        }
    }
    throw new InvalidOperationException("Run from inside the repository (no Microservices.sln found above the current folder).");
}

/// <summary>Events per second between two readings of a growing counter.</summary>
internal sealed class RateMeter
{
    private long last;
    private long lastAt = Stopwatch.GetTimestamp();

    public double Next(long count)
    {
        var now = Stopwatch.GetTimestamp();
        var rate = Math.Max(0, count - last) / Math.Max(1e-3, Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds);
        (last, lastAt) = (count, now);
        return rate;
    }
}
