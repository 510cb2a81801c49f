using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Accounts.Benchmark;

/// <summary>
/// The rebuild phase's figures, from the measured rebuild: events rebuilt from the feed per second (events ÷ time from
/// POST to done, and the rate the service reported), and the served views' query latency while it ran (GET /users/{id}
/// of accounts that exist), with the answers that were not 200 (there should be none). Also the first rebuild's events/s
/// (the services' rebuild paths not yet compiled by the tiered JIT) and how many rebuilds warmed them up in between.
/// </summary>
public sealed record RebuildResult(
    long Events, double Seconds, double EventsPerSecond, double ReportedEventsPerSecond, Percentiles QueryLatency, int NotOk,
    double FirstEventsPerSecond = 0, int WarmupRebuilds = 0);

/// <summary>
/// After the load phases: <c>POST /admin/rebuild</c> on the query service, then read <c>GET /admin/rebuild</c> until done
/// while <see cref="Readers"/> tasks query views of existing accounts (taken from the directory) the whole time. The first
/// rebuild runs cold; more follow for the warm-up time (the feed and the projection tier up: on this machine a rebuild of
/// ~37,000 events went from 25,000 to ~50,000 events/s over eight rebuilds), then one is measured. A rebuild of a real
/// log runs for minutes, at the warm rate.
/// </summary>
public static class RebuildPhase
{
    public const int Readers = 4;

    public static async Task<RebuildResult> RunAsync(Uri query, string token, TimeSpan warmup, BenchProgress progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = query, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var users = await SampleUsersAsync(http, cancellationToken);
        var first = await RunOnceAsync(http, users, "first (cold)", progress, cancellationToken);
        if (warmup <= TimeSpan.Zero)
        {
            return first with { FirstEventsPerSecond = first.EventsPerSecond };
        }
        var warming = Stopwatch.GetTimestamp();
        var rebuilds = 0;
        while (Stopwatch.GetElapsedTime(warming) < warmup)
        {
            await RunOnceAsync(http, users, $"warm-up {++rebuilds}", progress, cancellationToken);
        }
        var measured = await RunOnceAsync(http, users, "measured", progress, cancellationToken);
        return measured with { FirstEventsPerSecond = first.EventsPerSecond, WarmupRebuilds = rebuilds };
    }

    private static async Task<RebuildResult> RunOnceAsync(HttpClient http, List<Guid> users, string which, BenchProgress progress, CancellationToken cancellationToken)
    {
        progress.Begin("rebuild", ("queries", "events", "not 200", ""), $"{which}: POST /admin/rebuild, {Readers} readers on {users.Count} views");
        var started = Stopwatch.GetTimestamp();
        using var start = await http.PostAsync(new Uri("/admin/rebuild", UriKind.Relative), null, cancellationToken);
        if (start.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /admin/rebuild answered {(int)start.StatusCode}: {await start.Content.ReadAsStringAsync(cancellationToken)}");
        }
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var latencies = new Latencies();
        var notOk = 0;
        var readers = Enumerable.Range(0, Readers).Select(_ => Task.Run(async () =>
        {
            while (!done.IsCancellationRequested && users.Count > 0)
            {
                var begun = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(new Uri($"/users/{users[Random.Shared.Next(users.Count)]}", UriKind.Relative), CancellationToken.None);
                latencies.AddSince(begun);
                progress.AddSent();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref notOk);
                    progress.AddFailed();
                }
            }
        }, CancellationToken.None)).ToList();
        JsonElement status;
        using var sampler = new PeriodicTimer(TimeSpan.FromMilliseconds(20)); // the bench samples progress; it is not a test
        while (true)
        {
            status = JsonSerializer.Deserialize<JsonElement>(await http.GetStringAsync(new Uri("/admin/rebuild", UriKind.Relative), cancellationToken));
            var state = status.GetProperty("state").GetString();
            progress.Detail = $"{state}: position {status.GetProperty("position")} of {status.GetProperty("head")}, {status.GetProperty("eventsPerSecond").GetDouble():N0} events/s";
            if (state is "done" or "failed")
            {
                break;
            }
            await sampler.WaitForNextTickAsync(cancellationToken);
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await done.CancelAsync();
        await Task.WhenAll(readers);
        if (status.GetProperty("state").GetString() == "failed")
        {
            throw new InvalidOperationException($"The rebuild failed: {status.GetProperty("error")}");
        }
        var events = status.GetProperty("events").GetInt64();
        return new RebuildResult(events, Math.Round(seconds, 3), Math.Round(events / seconds, 0),
            Math.Round(status.GetProperty("eventsPerSecond").GetDouble(), 0), latencies.Summarize(), notOk);
    }

    /// <summary>Up to 200 accounts from the directory's first page: views that exist before the rebuild starts.</summary>
    private static async Task<List<Guid>> SampleUsersAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var page = JsonSerializer.Deserialize<JsonElement>(await http.GetStringAsync(new Uri("/users?limit=200", UriKind.Relative), cancellationToken));
        return [.. page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid())];
    }
}
