using Accounts.Messaging.Feed;
using ServiceDefaults.Auth;
using ServiceDefaults.Mongo;
using Accounts.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using QueryService.HttpApi;
using QueryService.Infrastructure;
using QueryService.Infrastructure.Mongo;
using QueryService.Infrastructure.Sqlite;
using QueryService.Integration;
using QueryService.Projection;
using QueryService.Rebuild;
using QueryService.Views;
using ServiceDefaults;

namespace QueryService;

/// <summary>Everything the query service adds to a host, so the service alone and the single-process host share it.</summary>
public static class Registrations
{
    /// <summary>
    /// The view store (MongoDB when the connection string <c>mongodb</c> is set, else SQLite at <c>Query:SqlitePath</c>), the
    /// projection and read-your-writes. The bus is the host's: add <see cref="AddQueryConsumers"/> to its registration.
    /// </summary>
    public static IHostApplicationBuilder AddQueryService(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QueryOptions>().BindConfiguration(QueryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetConnectionString("mongodb") is { Length: > 0 } mongo)
        {
            builder.Services.AddSingleton(sp =>
                new MongoUserViewStore(MongoClients.Database(mongo, sp.GetRequiredService<IOptions<QueryOptions>>().Value.MongoDatabase)));
            builder.Services.AddSingleton<IUserViewStore>(sp =>
                new InstrumentedUserViewStore(sp.GetRequiredService<MongoUserViewStore>(), "mongodb", MongoUserViewStore.CollectionName));
            builder.Services.AddSingleton<IViewGenerations>(sp => sp.GetRequiredService<MongoUserViewStore>());
            builder.Services.AddHostedService<MongoIndexesAtStart>();
        }
        else
        {
            builder.Services.AddSingleton(sp => new SqliteUserViewStore(sp.GetRequiredService<IOptions<QueryOptions>>().Value.SqlitePath));
            builder.Services.AddSingleton<IUserViewStore>(sp =>
                new InstrumentedUserViewStore(sp.GetRequiredService<SqliteUserViewStore>(), "sqlite", SqliteUserViewStore.TableName));
            builder.Services.AddSingleton<IViewGenerations>(sp => sp.GetRequiredService<SqliteUserViewStore>());
        }
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<UserChanges>();
        builder.Services.AddSingleton<UserProfileProjector>();
        builder.Services.AddSingleton<ProjectionProgress>();
        builder.Services.AddSingleton<LiveWritesGate>();
        builder.Services.AddSingleton<ViewRebuild>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ViewRebuild>()); // resumes a rebuild the last run left
        builder.Services.AddHttpClient(FeedClient.Name).AddServiceToken(); // gap repair reads the feed as an operator
        builder.Services.AddHealthChecks().AddStoreCheck<IUserViewStore>("query-views", (store, cancel) => store.FindAsync(Guid.Empty, cancel));
        return builder;
    }

    /// <summary>The query service's one consumer, <see cref="UsersConsumer"/>, on the endpoint <c>query-users</c>.</summary>
    public static IBusRegistrationConfigurator AddQueryConsumers(this IBusRegistrationConfigurator bus) => bus.AddServiceConsumer<UsersConsumer>("query");

    public static IEndpointRouteBuilder MapQueryService(this IEndpointRouteBuilder app) => app.MapQueryEndpoints().MapAdminEndpoints();
}
