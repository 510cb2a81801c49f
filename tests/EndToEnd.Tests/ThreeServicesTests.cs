using System.Collections.Concurrent;
using System.Text.Json;

namespace EndToEnd.Tests;

[Collection(SharesRunningSystem.Name)]
public sealed class ThreeServicesTests(RunningSystem system)
{
    [Fact]
    public async Task A_registration_reaches_both_query_instances_and_the_mailbox()
    {
        var id = Guid.CreateVersion7();
        await system.Command.RegisterAsync(id, $"{id:N}@example.org", "Ada");

        Assert.Equal("Ada", (await system.Query.ViewAtAsync(id, 1)).GetProperty("displayName").GetString());
        Assert.Equal("Ada", (await system.SecondQuery.ViewAtAsync(id, 1)).GetProperty("displayName").GetString());
        await system.Notification.EventuallyAsync($"/users/{id}/notifications",
            list => list.GetArrayLength() == 1 && list[0].GetProperty("state").GetString() == "sent");
        Assert.Single(system.Smtp.Messages(), mail => mail.Contains($"{id:N}@example.org", StringComparison.Ordinal));
    }

    /// <summary>
    /// 1,000 registrations and 1,000 changes through the HTTP API: the views (served by two instances) end equal to the
    /// fold of the event store, and the SMTP server holds exactly one e-mail per expected notification.
    /// </summary>
    [Fact]
    public async Task A_scripted_run_converges_to_the_event_store_with_one_email_per_notification()
    {
        const int users = 1000;
        var ids = Enumerable.Range(0, users).Select(_ => Guid.CreateVersion7()).ToArray();
        var expectedMail = new ConcurrentBag<string>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16 };
        var mailBefore = system.Smtp.Messages().Count;

        await Parallel.ForEachAsync(ids, parallel, async (id, _) =>
        {
            await system.Command.RegisterAsync(id, $"{id:N}@example.org", $"User {id:N}");
            expectedMail.Add($"{id:N}@example.org welcome");
        });
        await Parallel.ForEachAsync(ids.Select((id, i) => (id, i)), parallel, async (user, _) =>
        {
            var (id, i) = user;
            switch (i % 4)
            {
                case 0:
                    await system.Command.PostAsync($"/users/{id}/name", new { displayName = $"Renamed {i}" });
                    break;
                case 1:
                    await system.Command.PostAsync($"/users/{id}/email", new { email = $"moved-{id:N}@example.org" });
                    expectedMail.Add($"{id:N}@example.org old");
                    expectedMail.Add($"moved-{id:N}@example.org new");
                    break;
                case 2:
                    await system.Command.PostAsync($"/users/{id}/deactivate", new { reason = "scripted" });
                    expectedMail.Add($"{id:N}@example.org farewell");
                    break;
                default:
                    await system.Command.PostAsync($"/users/{id}/name", new { displayName = $"Again {i}" });
                    break;
            }
        });

        await Parallel.ForEachAsync(ids, parallel, async (id, _) =>
        {
            var truth = await system.Command.JsonAsync($"/users/{id}/state");
            var version = truth.GetProperty("version").GetInt64();
            var viewClient = id.GetHashCode() % 2 == 0 ? system.Query : system.SecondQuery;
            var view = await viewClient.ViewAtAsync(id, version);
            Assert.Equal(Fields(truth), Fields(view));
        });

        await Eventually.UntilAsync($"{expectedMail.Count} e-mails", () => system.Smtp.Messages().Count - mailBefore >= expectedMail.Count, TimeSpan.FromSeconds(120));
        // A later marker: registered after the run, its welcome is queued and sent after everything before it, so anything
        // sent twice would be in the mailbox by the time it is.
        var marker = Guid.CreateVersion7();
        await system.Command.RegisterAsync(marker, $"{marker:N}@example.org", "Marker");
        await Eventually.UntilAsync("the marker's welcome e-mail", () => system.Smtp.Messages().Any(mail => mail.Contains($"{marker:N}", StringComparison.Ordinal)));
        var ids_ = new HashSet<string>(ids.Select(id => $"{id:N}"));
        var ours = system.Smtp.Messages().Where(mail => ids_.Any(id => mail.Contains(id, StringComparison.Ordinal))).ToList();
        Assert.Equal(expectedMail.Count, ours.Count);
        var notificationIds = ours.Select(NotificationIdOf).ToList();
        Assert.Equal(notificationIds.Count, notificationIds.Distinct().Count());
    }

    private static (string?, string?, string?, long) Fields(JsonElement user) =>
        (user.GetProperty("email").GetString(), user.GetProperty("displayName").GetString(),
         user.GetProperty("status").GetString()?.ToLowerInvariant(), user.GetProperty("version").GetInt64());

    private static string NotificationIdOf(string mail) =>
        mail.Split('\n').Select(line => line.Trim()).First(line => line.StartsWith("X-Notification-Id:", StringComparison.OrdinalIgnoreCase));
}
