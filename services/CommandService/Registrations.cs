using CommandService.Application;
using CommandService.HttpApi;
using CommandService.Integration;
using EventStore;
using EventStore.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CommandService;

/// <summary>Everything the command service adds to a host, so the service alone and the single-process host share it.</summary>
public static class Registrations
{
    /// <summary>The event store (SQLite file at EventStore:SqlitePath, default data/command/events.db), the handler, the relay.</summary>
    public static IHostApplicationBuilder AddCommandService(this IHostApplicationBuilder builder)
    {
        var sqlitePath = builder.Configuration["EventStore:SqlitePath"] ?? Path.Combine("data", "command", "events.db");
        builder.Services.AddSingleton(_ => new SqliteEventStore(sqlitePath));
        builder.Services.AddSingleton<IEventStore>(sp => new InstrumentedEventStore(sp.GetRequiredService<SqliteEventStore>(), "sqlite"));
        builder.Services.AddSingleton<ICheckpointStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<UserCommandHandler>();
        builder.Services.AddHealthChecks().AddCheck<EventStoreHealthCheck>("eventstore", tags: ["ready"]);
        return builder;
    }

    public static IEndpointRouteBuilder MapCommandService(this IEndpointRouteBuilder app) => app.MapUserEndpoints();

    private sealed class EventStoreHealthCheck(IEventStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await store.ReadAllAsync(null, 1, cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}
