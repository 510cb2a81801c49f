using CommandService.Application;
using Accounts.Messaging.Feed;
using CommandService.Feed;
using CommandService.HttpApi;
using CommandService.Infrastructure;
using CommandService.Integration;
using EventStore;
using EventStore.EventStoreDb;
using EventStore.Sqlite;
using Microsoft.Extensions.Options;
using Polly.Registry;
using ServiceDefaults;

namespace CommandService;

/// <summary>Everything the command service adds to a host, so the service alone and the single-process host share it.</summary>
public static class Registrations
{
    /// <summary>
    /// The event store: EventStoreDB when the connection string named "eventstore" is given (esdb://host:2113?tls=false),
    /// else the SQLite file at EventStore:SqlitePath (default data/command/events.db). Then the handler and the relay, which
    /// publishes through the host's MassTransit bus (AddAccountsMessaging).
    /// </summary>
    public static IHostApplicationBuilder AddCommandService(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventStoreOptions>().BindConfiguration(EventStoreOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AccountCacheOptions>().BindConfiguration(AccountCacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default));
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(1, FeedJson.Default));
        if (builder.Configuration.GetConnectionString("eventstore") is { Length: > 0 } esdb)
        {
            builder.Services.AddEventStoreDbResilience();
            builder.Services.AddSingleton(sp => new EventStoreDbEventStore(esdb, sp.GetRequiredService<ResiliencePipelineProvider<string>>()));
            AddEventStore<EventStoreDbEventStore>(builder.Services, "eventstoredb");
            builder.Services.AddSingleton<IKeyStore>(sp => new EventStoreDbKeyStore(sp.GetRequiredService<EventStoreDbEventStore>()));
        }
        else
        {
            builder.Services.AddSingleton(sp => new SqliteEventStore(sp.GetRequiredService<IOptions<EventStoreOptions>>().Value.SqlitePath));
            AddEventStore<SqliteEventStore>(builder.Services, "sqlite");
            builder.Services.AddSingleton<IKeyStore>(sp => new SqliteKeyStore(sp.GetRequiredService<IOptions<EventStoreOptions>>().Value.KeyStorePath()));
        }
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AccountCache>();
        builder.Services.AddSingleton<AccountKeys>();
        builder.Services.AddSingleton<EmailReservations>();
        builder.Services.AddSingleton<UserCommandHandler>();
        builder.Services.AddSingleton<IntegrationFeed>();
        builder.Services.AddSupervisor(OutboxRelay.SupervisorPipeline, OutboxRelay.MaxRestartPause);
        builder.Services.AddSingleton<RelayLease>();
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddHealthChecks().AddStoreCheck<IEventStore>("eventstore", (store, cancel) => store.ReadAllAsync(null, 1, cancel));
        return builder;
    }

    private static void AddEventStore<TAdapter>(IServiceCollection services, string system)
        where TAdapter : class, IEventStore, ICheckpointStore
    {
        services.AddSingleton<IEventStore>(sp => new InstrumentedEventStore(sp.GetRequiredService<TAdapter>(), system));
        services.AddSingleton<ICheckpointStore>(sp => sp.GetRequiredService<TAdapter>());
    }

    /// <summary>The commands and reads of accounts, and the integration feed (<see cref="FeedEndpoints"/>, an operator's group).</summary>
    public static IEndpointRouteBuilder MapCommandService(this IEndpointRouteBuilder app)
    {
        app.MapFeedEndpoints();
        return app.MapUserEndpoints();
    }
}
