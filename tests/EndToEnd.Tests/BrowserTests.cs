using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// A real browser (Debian's Chromium, headless, driven by playwright-core: tests/Browser/watch.mjs) registers an account
/// through the command service's API reference page and then finds the registration's trace in the Aspire dashboard.
/// Screenshots are kept in artifacts/telemetry.
/// </summary>
[RequiresBrowser]
[Collection(SharesObservedSystem.Name)]
public sealed class BrowserTests(ObservedSystem system)
{
    [Fact]
    public async Task The_api_page_registers_an_account_and_the_dashboard_shows_its_trace_across_the_three_services()
    {
        await system.StartAsync();
        var email = $"{Guid.NewGuid():N}@example.org";

        var registered = await WatchAsync("register", system.Command, email);
        Assert.Equal("ada@example.org", registered.GetProperty("example").GetProperty("email").GetString());
        Assert.Equal(201, registered.GetProperty("status").GetInt32());
        var id = registered.GetProperty("body").GetProperty("id").GetGuid();

        using var client = new HttpClient();
        var trace = await Eventually.UntilAsync("the dashboard to hold the browser's registration trace",
            async () => DashboardTrace.Find(await client.GetFromJsonAsync<JsonElement>(new Uri(system.Dashboard, "/api/telemetry/traces")), id),
            found => found is { IsComplete: true }, TimeSpan.FromSeconds(60));

        var seen = await WatchAsync("dashboard", system.Dashboard, trace!.TraceId);
        Assert.Contains("command-service", seen.GetProperty("listed").GetString(), StringComparison.Ordinal);
        Assert.Equal(["command-service", "query-service", "notification-service"], seen.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        foreach (var screenshot in new[] { "api-page-register.png", "dashboard-traces.png", "dashboard-trace.png" })
        {
            Assert.True(new FileInfo(Path.Combine(ObservedSystem.Artifacts, screenshot)).Length > 10_000, $"{screenshot} is missing or blank");
        }
    }

    /// <summary>Runs one step of the browser script and returns the JSON line it printed.</summary>
    private static async Task<JsonElement> WatchAsync(string step, Uri url, string value)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Tools.BrowserScripts, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TOKEN"] = TestTokens.AllScopes;
        foreach (var arg in new[] { "watch.mjs", step, url.ToString(), value, ObservedSystem.Artifacts })
        {
            start.ArgumentList.Add(arg);
        }
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"watch.mjs {step} failed ({node.ExitCode}): {await errors}{await output}");
        return JsonDocument.Parse((await output).Trim().Split('\n')[^1]).RootElement.Clone();
    }
}
