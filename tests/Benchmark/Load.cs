using System.Collections.Concurrent;
using System.Diagnostics;

namespace Accounts.Benchmark;

public sealed record SaturationResult(
    int Workers, double WarmupSeconds, double LoadSeconds, long Accepted, long Failed, IReadOnlyDictionary<string, long> FailedByStatus,
    double AcceptedPerSecond, Percentiles CommandLatency, int Users, int UsersBehind,
    double VerifiedAfterSeconds, double? EndToEndPerSecond, int QueryBehind, int NotificationsBehind, IReadOnlyList<string> BehindSample,
    IReadOnlyDictionary<string, double> LoadCpuPercent, IReadOnlyDictionary<string, double> VerifyCpuPercent,
    IReadOnlyDictionary<string, double> CpuMicrosPerCommand);

public sealed record PacedResult(
    int Rate, double Seconds, long Sent, long Accepted, long Failed, double SentPerSecond,
    Percentiles CommandLatency, Percentiles Visibility, long VisibilityTimeouts,
    Percentiles NotificationVisibility, long NotificationTimeouts, int NotificationSampleEvery,
    IReadOnlyDictionary<string, double> CpuPercent, IReadOnlyList<double> CommandMaxMsBySecond);

/// <summary>The two loads on the system: closed-loop saturation, then an open-loop fixed rate.</summary>
public sealed class Load(SystemClient client, BenchProgress progress, Func<Dictionary<string, double>> cpuSeconds)
{
    private long order;

    /// <summary>
    /// <paramref name="workers"/> tasks each send their next command as soon as the previous one is answered. First a
    /// warm-up, not measured: <paramref name="warmup"/> of that load, then its users verified as below (the services start
    /// cold: their JIT tiers up the write path under the load and the read path under the verification). Then, from a
    /// drained system, the measured window: the same load for <paramref name="duration"/>; accepted/s = commands accepted in
    /// it ÷ its length. Then every user a command of the window touched is verified, most recently written first,
    /// <paramref name="workers"/> at a time: GET /users/{id}?minVersion=final until 200, and its notification list polled
    /// (GET …/notifications?minCount=N, answered once they are recorded) until it holds every expected notification. End-to-end/s = the window's accepted commands ÷ the time
    /// from the window's start until the last of its users was verified (the verification's own time counts).
    /// </summary>
    public async Task<SaturationResult> SaturateAsync(int workers, TimeSpan warmup, TimeSpan duration, TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        progress.Begin("saturation", ("sent", "accepted", "failed", "users verified"), warmup > TimeSpan.Zero
            ? $"{workers} closed-loop workers: {warmup.TotalSeconds:0} s warm-up and its verification, then {duration.TotalSeconds:0} s measured"
            : $"{workers} closed-loop workers for {duration.TotalSeconds:0} s");
        var latency = new Latencies();
        var failures = new ConcurrentDictionary<string, long>();
        var users = new ConcurrentBag<BenchUser>();
        var owned = Enumerable.Range(0, workers).Select(worker => (Random: new Random(worker), Users: new List<BenchUser>())).ToArray();

        // Closed-loop load for a while; returns the commands accepted. Each worker keeps its users across both loads.
        Task<long[]> LoadAsync(TimeSpan length, Latencies? measured)
        {
            var stopAt = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
            return Task.WhenAll(owned.Select(worker => Task.Run(async () =>
            {
                var (random, mine) = worker;
                long accepted = 0;
                while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
                {
                    var command = mine.Count == 0 || random.NextDouble() < Workload.RegisterShare
                        ? Workload.Register(new BenchUser(Guid.CreateVersion7()))
                        : Workload.Change(mine[random.Next(mine.Count)], random);
                    progress.AddSent();
                    var sent = Stopwatch.GetTimestamp();
                    var reply = await client.SendAsync(command, cancellationToken);
                    measured?.AddSince(sent);
                    if (!reply.Accepted)
                    {
                        progress.AddFailed();
                        failures.AddOrUpdate(reply.Status == 0 ? "no answer" : reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                        continue;
                    }
                    Workload.Accept(command, reply.Version, Interlocked.Increment(ref order));
                    accepted++;
                    progress.AddDone();
                    if (command.Kind == "register")
                    {
                        mine.Add(command.User);
                        users.Add(command.User);
                    }
                }
                return accepted;
            }, cancellationToken)));
        }

        // A warm-up user that never converged is reported with the window's (nothing lost is checked for both).
        (IReadOnlyCollection<BenchUser> Query, IReadOnlyCollection<BenchUser> Notifications) warmupBehind = ([], []);
        if (warmup > TimeSpan.Zero)
        {
            await LoadAsync(warmup, null);
            progress.Detail = $"warm-up load done; verifying its {users.Count} users before the measured window";
            warmupBehind = await VerifyAsync([.. users.OrderByDescending(u => u.LastAccepted)], workers, drainTimeout, cancellationToken);
            progress.Detail = $"measuring: {workers} closed-loop workers for {duration.TotalSeconds:0} s";
        }
        var orderAtStart = Interlocked.Read(ref order);
        var cpuAtStart = cpuSeconds();
        var started = Stopwatch.GetTimestamp();
        var accepted = (await LoadAsync(duration, latency)).Sum();
        var loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuAtLoadEnd = cpuSeconds();

        var touched = users.Where(u => u.LastAccepted > orderAtStart).OrderByDescending(u => u.LastAccepted).ToList();
        progress.Detail = $"load done after {loadSeconds:0.0} s; verifying its {touched.Count} users (query view at final version, every notification)";
        var (windowQueryBehind, windowNotificationsBehind) = await VerifyAsync(touched, workers, drainTimeout, cancellationToken);
        var queryBehind = windowQueryBehind.Union(warmupBehind.Query).ToList();
        var notificationsBehind = windowNotificationsBehind.Union(warmupBehind.Notifications).ToList();
        var verifiedAfter = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuAtVerified = cpuSeconds();
        var verifyCpu = CpuPercent(cpuAtLoadEnd, cpuAtVerified, verifiedAfter - loadSeconds);
        var behind = queryBehind.Union(notificationsBehind).Count();
        var sample = new List<string>();
        foreach (var user in queryBehind.Take(5))
        {
            sample.Add($"query view of {user.Id}: version {await client.CurrentVersionAsync(user.Id, cancellationToken)}, expected {user.Version}");
        }
        foreach (var user in notificationsBehind.Take(5))
        {
            sample.Add($"notifications of {user.Id}: {await client.NotificationCountAsync(user.Id, null, cancellationToken)}, expected {user.ExpectedNotifications}");
        }
        return new SaturationResult(
            workers, warmup.TotalSeconds, loadSeconds, accepted, failures.Values.Sum(), new Dictionary<string, long>(failures), accepted / loadSeconds,
            latency.Summarize(), touched.Count, behind, verifiedAfter, behind == 0 ? accepted / verifiedAfter : null,
            queryBehind.Count, notificationsBehind.Count, sample, CpuPercent(cpuAtStart, cpuAtLoadEnd, loadSeconds), verifyCpu,
            CpuMicrosPerCommand(cpuAtStart, cpuAtVerified, accepted));
    }

    /// <summary>
    /// CPU µs per command over the end-to-end window (first command → every user verified): each process's CPU in that
    /// window ÷ the accepted commands. "total" is the system's: every service, the broker and any external server measured
    /// here, not the load tool ("bench"); "totalWithLoadTool" adds it.
    /// </summary>
    private static Dictionary<string, double> CpuMicrosPerCommand(Dictionary<string, double> before, Dictionary<string, double> after, long commands)
    {
        var perCommand = after.ToDictionary(a => a.Key, a => Math.Round((a.Value - before.GetValueOrDefault(a.Key)) * 1e6 / Math.Max(1, commands)));
        var total = perCommand.Where(p => p.Key != ServiceProcesses.LoadToolName).Sum(p => p.Value);
        perCommand["total"] = total;
        perCommand["totalWithLoadTool"] = total + perCommand.GetValueOrDefault(ServiceProcesses.LoadToolName);
        return perCommand;
    }

    /// <summary>Waits for every user's final version in the query view and its notifications; returns the users that never got there.</summary>
    private async Task<(IReadOnlyCollection<BenchUser> Query, IReadOnlyCollection<BenchUser> Notifications)> VerifyAsync(
        IReadOnlyList<BenchUser> users, int parallelism, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var queryBehind = new ConcurrentBag<BenchUser>();
        var notificationsBehind = new ConcurrentBag<BenchUser>();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (user, token) =>
            {
                var visible = await client.WaitForVersionAsync(user.Id, user.Version, token);
                while (!visible && Stopwatch.GetTimestamp() < deadline)
                {
                    visible = await client.WaitForVersionAsync(user.Id, user.Version, token);
                }
                var notified = await client.NotificationCountAsync(user.Id, user.ExpectedNotifications, token) >= user.ExpectedNotifications;
                while (!notified && Stopwatch.GetTimestamp() < deadline)
                {
                    notified = await client.NotificationCountAsync(user.Id, user.ExpectedNotifications, token) >= user.ExpectedNotifications;
                }
                if (!visible)
                {
                    queryBehind.Add(user);
                }
                if (!notified)
                {
                    notificationsBehind.Add(user);
                }
                if (visible && notified)
                {
                    progress.AddVerified();
                }
            });
        return (queryBehind, notificationsBehind);
    }

    /// <summary>
    /// Open loop: command i is due at start + i/rate whatever the answers do (a 1 ms dispatcher sends every due command);
    /// command latency runs from the due time to the answer. Right after each accepted answer the query view is asked
    /// GET /users/{id}?minVersion=v (the service holds the request until the view has v): visibility latency runs from
    /// the command's answer to that 200. On every <paramref name="notificationSampleEvery"/>-th command that causes
    /// notifications, the user's notification list is asked for them (GET …/notifications?minCount=N, held by the service
    /// until they are recorded) right after the answer: notification latency runs from the answer to that list.
    /// </summary>
    public async Task<PacedResult> PaceAsync(int rate, TimeSpan duration, int notificationSampleEvery, CancellationToken cancellationToken)
    {
        progress.Begin("paced", ("sent", "accepted", "failed", "visible"), $"{rate} commands/s open loop for {duration.TotalSeconds:0} s");
        var commandLatency = new Latencies();
        var visibility = new Latencies();
        var notificationVisibility = new Latencies();
        var idle = new ConcurrentQueue<BenchUser>();
        var random = new Random(42);
        var total = (long)(rate * duration.TotalSeconds);
        var inFlight = new List<Task>((int)total);
        long accepted = 0, failed = 0, visibilityTimeouts = 0, notificationTimeouts = 0, notifying = 0;

        // The slowest answer to the commands due in each second: when a p99 comes from a stall, this says when it was.
        var maxBySecond = new double[(int)Math.Ceiling(duration.TotalSeconds)];
        var started = 0L;

        async Task RunOne(BenchCommand command, long due)
        {
            var reply = await client.SendAsync(command, cancellationToken);
            var answered = Stopwatch.GetTimestamp();
            var took = Stopwatch.GetElapsedTime(due, answered).TotalMilliseconds;
            commandLatency.Add(took);
            var second = Math.Min(maxBySecond.Length - 1, (int)Stopwatch.GetElapsedTime(started, due).TotalSeconds);
            lock (maxBySecond)
            {
                maxBySecond[second] = Math.Max(maxBySecond[second], took);
            }
            if (!reply.Accepted)
            {
                Interlocked.Increment(ref failed);
                progress.AddFailed();
                if (command.User.Version > 0)
                {
                    idle.Enqueue(command.User);
                }
                return;
            }
            Interlocked.Increment(ref accepted);
            progress.AddDone();
            Workload.Accept(command, reply.Version, Interlocked.Increment(ref order));
            var (user, version, expected) = (command.User, reply.Version, command.User.ExpectedNotifications);
            idle.Enqueue(user);

            var sampled = command.Notifications > 0 && Interlocked.Increment(ref notifying) % notificationSampleEvery == 0;
            var notified = sampled ? PollNotificationsAsync(user.Id, expected, answered) : Task.FromResult<bool?>(null);
            if (await client.WaitForVersionAsync(user.Id, version, cancellationToken))
            {
                visibility.AddSince(answered);
                progress.AddVerified();
            }
            else
            {
                Interlocked.Increment(ref visibilityTimeouts);
            }
            switch (await notified)
            {
                case true:
                    notificationVisibility.AddSince(answered);
                    break;
                case false:
                    Interlocked.Increment(ref notificationTimeouts);
                    break;
            }
        }

        async Task<bool?> PollNotificationsAsync(Guid userId, int expected, long answered)
        {
            while (Stopwatch.GetElapsedTime(answered) < TimeSpan.FromSeconds(10))
            {
                if (await client.NotificationCountAsync(userId, expected, cancellationToken) >= expected)
                {
                    return true;
                }
            }
            return false;
        }

        var cpuAtStart = cpuSeconds();
        started = Stopwatch.GetTimestamp();
        for (long i = 0; i < total && !cancellationToken.IsCancellationRequested;)
        {
            var now = Stopwatch.GetTimestamp();
            for (var due = started + i * Stopwatch.Frequency / rate; i < total && due <= now; i++, due = started + i * Stopwatch.Frequency / rate)
            {
                var command = random.NextDouble() < Workload.RegisterShare || !idle.TryDequeue(out var user)
                    ? Workload.Register(new BenchUser(Guid.CreateVersion7()))
                    : Workload.Change(user, random);
                progress.AddSent();
                inFlight.Add(RunOne(command, due));
            }
            await Task.Delay(1, cancellationToken);
        }
        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = CpuPercent(cpuAtStart, cpuSeconds(), sendSeconds);
        progress.Detail = "waiting for the last answers and views";
        await Task.WhenAll(inFlight);
        return new PacedResult(
            rate, sendSeconds, inFlight.Count, accepted, failed, inFlight.Count / sendSeconds,
            commandLatency.Summarize(), visibility.Summarize(), visibilityTimeouts,
            notificationVisibility.Summarize(), notificationTimeouts, notificationSampleEvery, cpu,
            [.. maxBySecond.Select(ms => Math.Round(ms, 1))]);
    }

    /// <summary>CPU used between two readings, in % of one core (200 % = both cores of this machine).</summary>
    private static Dictionary<string, double> CpuPercent(Dictionary<string, double> before, Dictionary<string, double> after, double seconds) =>
        after.ToDictionary(a => a.Key, a => Math.Round((a.Value - before.GetValueOrDefault(a.Key)) / seconds * 100));
}
