using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EndToEnd.Tests;

/// <summary>`make run` hosts both consuming services on one bus: each keeps its own queue, named as when it runs alone.</summary>
public sealed class SingleProcessEndpointsTests
{
    [Fact]
    public async Task The_query_and_notification_consumers_each_keep_their_own_queue_on_the_shared_bus()
    {
        await using var host = new ServiceHost<SingleProcessHost.Program>("single-endpoints", new Dictionary<string, string?>());
        _ = host.Server;

        // MassTransit's bus health check lists every receive endpoint it started, by address.
        var bus = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["masstransit-bus"];
        var queues = Assert.IsAssignableFrom<System.Collections.IDictionary>(bus.Data["Endpoints"]).Keys.Cast<string>()
            .Select(address => new Uri(address).AbsolutePath.Trim('/'))
            .ToList();
        Assert.Contains("query-users", queues);
        Assert.Contains("notification-users", queues);
        Assert.DoesNotContain(queues, queue => queue.EndsWith("-users", StringComparison.Ordinal) && queue is not ("query-users" or "notification-users"));
    }
}
