using CommandService.Application;
using CommandService.HttpApi;
using EventStore;
using EventStore.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CommandService;

/// <summary>Everything the command service adds to a host, so the service alone and the single-process host share it.</summary>
public static class Registrations
{
    public static IHostApplicationBuilder AddCommandService(this IHostApplicationBuilder builder)
    {
        var sqlitePath = builder.Configuration["EventStore:SqlitePath"] ?? Path.Combine("data", "command", "events.db");
        builder.Services.AddSingleton(_ => new SqliteEventStore(sqlitePath));
        builder.Services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        builder.Services.AddSingleton<ICheckpointStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<UserCommandHandler>();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck<EventStoreHealthCheck>("eventstore", tags: ["ready"]);
        return builder;
    }

    public static IEndpointRouteBuilder MapCommandService(this IEndpointRouteBuilder app) => app.MapUserEndpoints();

    /// <summary>Liveness says the process runs; readiness also asks the stores and the broker (checks tagged "ready").</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    private sealed class EventStoreHealthCheck(IEventStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await store.ReadAllAsync(null, 1, cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}
