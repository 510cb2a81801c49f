using System.ComponentModel;
using System.Globalization;
using Accounts.Operations.Rebuild;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Accounts.Operations.Commands;

/// <summary>Settings of <c>rebuild</c>: how often the progress is read.</summary>
public sealed class RebuildSettings : OperatorSettings
{
    [CommandOption("--interval")]
    [Description("seconds between progress reads (default 0.5)")]
    public double Interval { get; init; } = 0.5;
}

/// <summary>
/// <c>rebuild</c>: asks the query service to rebuild its views from the feed and shows a live progress bar (feed position
/// of head, events/s, ETA) until the new generation is served. Exit code 0 when done, 1 when the rebuild failed.
/// </summary>
public sealed class RebuildCommand : AsyncCommand<RebuildSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RebuildSettings settings, CancellationToken cancellationToken)
    {
        using var http = settings.CreateHttpClient(TimeSpan.FromSeconds(30));
        var follower = new RebuildFollower(http, settings.ServiceUrls.Query, TimeSpan.FromSeconds(settings.Interval));
        if (!await follower.StartAsync(cancellationToken))
        {
            AnsiConsole.MarkupLine("[yellow]A rebuild is running already: following it.[/]");
        }
        RebuildProgress? last = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask("rebuild", maxValue: 1);
                last = await follower.FollowAsync(status =>
                {
                    bar.MaxValue = Math.Max(1, status.Head ?? 1);
                    bar.Value = status.State == "done" ? bar.MaxValue : Math.Min(bar.MaxValue, status.Position ?? 0);
                    bar.Description = Describe(status);
                }, cancellationToken);
            });
        if (last!.State == "failed")
        {
            AnsiConsole.MarkupLineInterpolated($"[red]The rebuild failed:[/] {last.Error}");
            return 1;
        }
        AnsiConsole.MarkupLineInterpolated($"[green]Done:[/] {last.Events.ToString("N0", CultureInfo.InvariantCulture)} events at {last.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture)}/s; the new generation is served.");
        return 0;
    }

    /// <summary>"running 1,234 events/s, ETA 0:42" as the bar's label.</summary>
    public static string Describe(RebuildProgress status)
    {
        var rate = status.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture);
        var eta = status.Eta is { } seconds ? TimeSpan.FromSeconds(Math.Ceiling(seconds)).ToString(@"m\:ss", CultureInfo.InvariantCulture) : "-";
        return Markup.Escape($"{status.State} {rate} events/s, ETA {eta}");
    }
}
