using Accounts.Messaging.Feed;
using ServiceDefaults.Auth;
using ServiceDefaults.Mongo;
using Accounts.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using NotificationService.Delivery;
using NotificationService.HttpApi;
using NotificationService.Infrastructure.Mongo;
using NotificationService.Infrastructure.Sqlite;
using NotificationService.Integration;
using NotificationService.Notifications;
using ServiceDefaults;

namespace NotificationService;

/// <summary>Everything the notification service adds to a host, so the service alone and the single-process host share it.</summary>
public static class Registrations
{
    /// <summary>
    /// The store (MongoDB when the connection string <c>mongodb</c> is set, else SQLite at <c>Notifications:SqlitePath</c>),
    /// the mail sender (SMTP when <c>Smtp:Host</c> is set, else .eml files in <c>Notifications:PickupDirectory</c>), the
    /// delivery pipeline and the supervised dispatcher. The bus is the host's: add <see cref="AddNotificationConsumers"/>.
    /// </summary>
    public static IHostApplicationBuilder AddNotificationService(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetConnectionString("mongodb") is { Length: > 0 } mongo)
        {
            builder.Services.AddSingleton(sp =>
                new MongoNotificationStore(MongoClients.Database(mongo, sp.GetRequiredService<IOptions<NotificationOptions>>().Value.MongoDatabase)));
            builder.Services.AddSingleton<INotificationStore>(sp => sp.GetRequiredService<MongoNotificationStore>());
            builder.Services.AddSingleton<IContactStore>(sp => sp.GetRequiredService<MongoNotificationStore>());
            builder.Services.AddHostedService<MongoIndexesAtStart>();
        }
        else
        {
            builder.Services.AddSingleton(sp =>
                new SqliteNotificationStore(sp.GetRequiredService<IOptions<NotificationOptions>>().Value.SqlitePath));
            builder.Services.AddSingleton<INotificationStore>(sp => sp.GetRequiredService<SqliteNotificationStore>());
            builder.Services.AddSingleton<IContactStore>(sp => sp.GetRequiredService<SqliteNotificationStore>());
        }
        builder.Services.AddSingleton<IMailSender>(sp => string.IsNullOrEmpty(sp.GetRequiredService<IOptions<SmtpOptions>>().Value.Host)
            ? ActivatorUtilities.CreateInstance<PickupDirectoryMailSender>(sp)
            : ActivatorUtilities.CreateInstance<SmtpMailSender>(sp));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddDeliveryPipeline();
        builder.Services.AddSupervisor(NotificationDispatcher.SupervisorPipeline, NotificationDispatcher.MaxRestartPause);
        builder.Services.AddSingleton<DeliveryMetrics>();
        builder.Services.AddSingleton<DispatchSignal>();
        builder.Services.TryAddSingleton<UserChanges>();
        builder.Services.AddSingleton<UserNotifier>();
        builder.Services.AddHostedService<NotificationDispatcher>();
        builder.Services.AddHttpClient(FeedClient.Name).AddServiceToken(); // gap repair reads the feed as an operator
        builder.Services.AddHealthChecks().AddStoreCheck<INotificationStore>("notification-store", (store, cancel) => store.FindAsync(Guid.Empty, cancel));
        return builder;
    }

    /// <summary>The notification service's one consumer, <see cref="UsersConsumer"/>, on the endpoint <c>notification-users</c>.</summary>
    public static IBusRegistrationConfigurator AddNotificationConsumers(this IBusRegistrationConfigurator bus) => bus.AddServiceConsumer<UsersConsumer>("notification");

    public static IEndpointRouteBuilder MapNotificationService(this IEndpointRouteBuilder app) => app.MapNotificationEndpoints();
}
