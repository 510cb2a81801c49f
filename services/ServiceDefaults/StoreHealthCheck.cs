using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServiceDefaults;

/// <summary>Readiness of a store: healthy when a cheap read of it answers (a failure reports the exception).</summary>
public static class StoreHealthCheck
{
    public static IHealthChecksBuilder AddStoreCheck<TStore>(this IHealthChecksBuilder checks, string name, Func<TStore, CancellationToken, Task> read)
        where TStore : notnull =>
        checks.Add(new HealthCheckRegistration(name, sp => new Probe<TStore>(sp.GetRequiredService<TStore>(), read), null, ["ready"]));

    private sealed class Probe<TStore>(TStore store, Func<TStore, CancellationToken, Task> read) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await read(store, cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}
