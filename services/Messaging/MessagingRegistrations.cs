using Accounts.Contracts.Avro;
using Accounts.Contracts.MassTransit;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Messaging;

public static class MessagingRegistrations
{
    public const string ConnectionStringName = "rabbitmq";

    /// <summary>
    /// MassTransit for one service: RabbitMQ when the connection string <c>rabbitmq</c> (<c>amqp://user:pass@host:port/vhost</c>) is
    /// set, else the in-memory transport; Avro contracts on the wire; kebab-case endpoint names behind
    /// <paramref name="endpointPrefix"/> (so each service gets its own queue for the same message); publisher confirms; a raised
    /// prefetch; retries, optional delayed redelivery, then the <c>_error</c> queue. Tune it in the <c>Messaging</c> section.
    /// </summary>
    /// <param name="endpointPrefix">The service's name, e.g. "query": its consumer of UserRegistered listens on <c>query-user-registered</c>.</param>
    /// <param name="configureConsumers">Adds the service's consumers (and anything else MassTransit registers).</param>
    /// <param name="pins">Contract versions the service was built against; default: the latest of each.</param>
    public static IServiceCollection AddAccountsMessaging(
        this IServiceCollection services,
        IConfiguration configuration,
        string endpointPrefix,
        Action<IBusRegistrationConfigurator> configureConsumers,
        ContractVersionPins? pins = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointPrefix);

        var options = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        var rabbitMq = configuration.GetConnectionString(ConnectionStringName);

        // Serve nothing until the bus is up and its queues are bound, so a message published at start is not lost.
        services.Configure<MassTransitHostOptions>(host => host.WaitUntilStarted = true);
        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(endpointPrefix, includeNamespace: false));
            bus.AddConfigureEndpointsCallback((_, _, endpoint) => ConfigureFailureHandling(endpoint, options));
            configureConsumers(bus);

            if (string.IsNullOrWhiteSpace(rabbitMq))
            {
                bus.UsingInMemory((context, transport) =>
                {
                    ConfigureTransport(transport, options, pins);
                    transport.ConfigureEndpoints(context);
                });
                return;
            }

            if (options.EffectiveRedeliveryIntervals.Count > 0)
                bus.AddDelayedMessageScheduler();

            bus.UsingRabbitMq((context, transport) =>
            {
                transport.Host(new Uri(rabbitMq), host => host.PublisherConfirmation = true);
                if (options.EffectiveRedeliveryIntervals.Count > 0)
                    transport.UseDelayedMessageScheduler();
                ConfigureTransport(transport, options, pins);
                transport.ConfigureEndpoints(context);
            });
        });

        // The bus's shape is composed above from the section as it is now; registered as options too, the section is
        // validated when the host starts (a bad value stops the start, naming the key).
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    static void ConfigureTransport(IBusFactoryConfigurator transport, MessagingOptions options, ContractVersionPins? pins)
    {
        transport.UseAvroSerializer(pins);
        transport.PrefetchCount = options.PrefetchCount;
        if (options.ConcurrentMessageLimit is { } limit)
            transport.ConcurrentMessageLimit = limit;
    }

    /// <summary>
    /// Delayed redelivery wraps the retries: each redelivery gets the full set of retries again before the next delay.
    /// Inside them, messages about one user go through one partition at a time, in the order they arrived, so the
    /// consumers of an instance never see a user's versions out of order (a gap then means another instance has the
    /// missing version, or it was redelivered). A retry waits outside its partition, so it never blocks the missing one.
    /// Partitions = 0 turns the partitioning off.
    /// </summary>
    static void ConfigureFailureHandling(IReceiveEndpointConfigurator endpoint, MessagingOptions options)
    {
        if (options.EffectiveRedeliveryIntervals.Count > 0)
            endpoint.UseDelayedRedelivery(redelivery => redelivery.Intervals([.. options.EffectiveRedeliveryIntervals]));

        if (options.EffectiveRetryIntervals.Count > 0)
            endpoint.UseMessageRetry(retry => retry.Intervals([.. options.EffectiveRetryIntervals]));

        if (options.Partitions > 0)
            _ = new PartitionByUser(endpoint, options.Partitions); // after the retry: see PartitionByUser
    }
}
