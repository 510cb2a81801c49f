using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EndToEnd.Tests;

/// <summary>
/// The guarantees batching and caching must keep ("Guarantees kept", issue 14): three service processes over a private
/// RabbitMQ node take registrations and changes of several hundred accounts, concurrently, while the broker node is
/// killed (SIGKILL) and started again, and while the query service and then the notification service are killed
/// (SIGKILL) and started again. Then the query views equal the fold of the event store (the command service's
/// <c>/users/{id}/state</c>) and every expected e-mail is in the pickup directory exactly once.
/// </summary>
public sealed partial class FaultToleranceTests(FaultySystem system) : IClassFixture<FaultySystem>
{
    private const int AccountsPerSlice = 150, Parallelism = 8;

    private sealed record Account(Guid Id, int Mails);

    [Fact]
    public async Task Under_load_through_a_broker_kill_and_killed_consumers_the_views_equal_the_store_and_each_email_arrives_once()
    {
        using var command = system.Command.Client();
        using var query = system.Query.Client();
        var accounts = new ConcurrentBag<Account>();

        await new Slice(command, accounts).RunAsync();
        await new Slice(command, accounts).WhileAsync(async slice =>
        {
            system.Broker.Kill();
            await slice.AcceptedAsync(AccountsPerSlice); // commands go on while the broker is gone: the event store is the outbox
            await system.Broker.RestartAsync();
        });
        await new Slice(command, accounts).WhileAsync(async _ =>
        {
            system.Query.Kill();
            await system.Query.RestartAsync();
        });
        await new Slice(command, accounts).WhileAsync(async _ =>
        {
            system.Notification.Kill();
            await system.Notification.RestartAsync();
        });

        var truth = new ConcurrentDictionary<Guid, string>();
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (account, _) =>
            truth[account.Id] = Fields(await command.JsonAsync($"/users/{account.Id}/state")));
        await Eventually.UntilAsync("every query view to equal the fold of the event store",
            () => MismatchesAsync(truth, async id => await ViewAsync(query, id)), m => m.Count == 0, TimeSpan.FromSeconds(90));

        await Eventually.UntilAsync($"all {accounts.Sum(a => a.Mails)} e-mails in the pickup directory", () => Task.FromResult(MissingMails(accounts)),
            missing => missing.Count == 0, TimeSpan.FromSeconds(90));
        // A later marker: its welcome is recorded after everything before it, so a duplicate would be there by the time it is.
        var marker = Guid.CreateVersion7();
        await command.RegisterAsync(marker, $"{marker:N}@example.org", "Marker");
        await Eventually.UntilAsync("the marker's welcome e-mail", () => Mails([new Account(marker, 1)])[marker].Count == 1, TimeSpan.FromSeconds(60));
        var mails = Mails(accounts);
        var wrong = accounts.Where(a => mails[a.Id].Count != a.Mails)
            .Select(a => $"{a.Id}: {mails[a.Id].Count} e-mails, expected {a.Mails} ({string.Join(", ", mails[a.Id])})").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} accounts got the wrong number of e-mails: {string.Join("; ", wrong.Take(10))}");
    }

    /// <summary>The accounts whose view differs from the store's fold, described; empty when all agree.</summary>
    private static async Task<Mismatches> MismatchesAsync(IReadOnlyDictionary<Guid, string> truth, Func<Guid, Task<string>> view)
    {
        var differ = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(truth, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (pair, _) =>
        {
            var seen = await view(pair.Key);
            if (seen != pair.Value)
            {
                differ.Add($"{pair.Key}: store {pair.Value}, view {seen}");
            }
        });
        return new Mismatches([.. differ]);
    }

    private sealed record Mismatches(IReadOnlyList<string> Items)
    {
        public int Count => Items.Count;

        public override string ToString() => $"{Count} accounts, e.g. {string.Join("; ", Items.Take(5))}";
    }

    private static async Task<string> ViewAsync(HttpClient query, Guid id)
    {
        var response = await query.GetAsync($"/users/{id}");
        return response.IsSuccessStatusCode
            ? Fields(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement)
            : $"HTTP {(int)response.StatusCode}";
    }

    private static string Fields(JsonElement user) =>
        $"v{user.GetProperty("version").GetInt64()} {user.GetProperty("email").GetString()} '{user.GetProperty("displayName").GetString()}' " +
        user.GetProperty("status").GetString()?.ToLowerInvariant();

    /// <summary>The accounts that have fewer e-mails than their commands caused, described; empty when none.</summary>
    private Mismatches MissingMails(IReadOnlyCollection<Account> accounts)
    {
        var mails = Mails(accounts);
        return new Mismatches([.. accounts.Where(a => mails[a.Id].Count < a.Mails).Select(a => $"{a.Id}: {mails[a.Id].Count} of {a.Mails} e-mails")]);
    }

    /// <summary>The pickup directory's files (one per notification id) by the account whose address they go to.</summary>
    private Dictionary<Guid, List<string>> Mails(IEnumerable<Account> accounts)
    {
        var byAccount = new Dictionary<string, List<string>>();
        foreach (var file in Directory.Exists(system.Outbox) ? Directory.EnumerateFiles(system.Outbox, "*.eml") : [])
        {
            // Every address of an account holds its id: "<id>@example.org", "moved-<id>@example.org".
            var to = File.ReadLines(file).First(line => line.StartsWith("To:", StringComparison.OrdinalIgnoreCase));
            var account = AccountId().Match(to).Value;
            (byAccount.TryGetValue(account, out var list) ? list : byAccount[account] = []).Add(Path.GetFileName(file));
        }
        return accounts.ToDictionary(a => a.Id, a => byAccount.GetValueOrDefault($"{a.Id:N}") ?? []);
    }

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex AccountId();

    /// <summary>
    /// A share of the load: <see cref="AccountsPerSlice"/> accounts, <see cref="Parallelism"/> at a time, each registered and
    /// then changed once (rename, change of e-mail address, deactivation or another rename), every command accepted.
    /// </summary>
    private sealed class Slice(HttpClient command, ConcurrentBag<Account> accounts)
    {
        private int _accepted;

        public Task RunAsync() => Parallel.ForEachAsync(Enumerable.Range(0, AccountsPerSlice), new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (i, _) =>
            {
                var id = Guid.CreateVersion7();
                await command.RegisterAsync(id, $"{id:N}@example.org", $"User {i}");
                Interlocked.Increment(ref _accepted);
                var mails = 1 + (i % 4) switch
                {
                    0 => await Changed(command.PostAsync($"/users/{id}/name", new { displayName = $"Renamed {i}" }), 0),
                    1 => await Changed(command.PostAsync($"/users/{id}/email", new { email = $"moved-{id:N}@example.org" }), 2),
                    2 => await Changed(command.PostAsync($"/users/{id}/deactivate", new { reason = "fault test" }), 1),
                    _ => await Changed(command.PostAsync($"/users/{id}/name", new { displayName = $"Again {i}" }), 0),
                };
                Interlocked.Increment(ref _accepted);
                accounts.Add(new Account(id, mails));
            });

        /// <summary>Runs the slice and, once a third of its commands are accepted, the fault beside it; waits for both.</summary>
        public async Task WhileAsync(Func<Slice, Task> fault)
        {
            var load = RunAsync();
            await AcceptedAsync(AccountsPerSlice * 2 / 3);
            await Task.WhenAll(load, fault(this));
        }

        public Task AcceptedAsync(int commands) =>
            Eventually.UntilAsync($"{commands} commands of the slice accepted", () => Volatile.Read(ref _accepted) >= commands, TimeSpan.FromSeconds(60));

        private static async Task<int> Changed(Task<long> change, int mails)
        {
            await change;
            return mails;
        }
    }
}
