using System.Runtime.Serialization;
using Accounts.Contracts.Avro;
using Accounts.Contracts.MassTransit;
using Accounts.Messaging.Feed;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Accounts.Messaging;

public static class MessagingRegistrations
{
    public const string ConnectionStringName = "rabbitmq";

    /// <summary>
    /// MassTransit for one host: RabbitMQ when the connection string <c>rabbitmq</c> (<c>amqp://user:pass@host:port/vhost</c>, or
    /// several nodes of a cluster, see <see cref="BrokerAddress"/>) is set, else the in-memory transport; Avro contracts on the wire; endpoints named by the kebab-case formatter and
    /// ConfigureEndpoints (a service's consumers behind its name, see <see cref="AddServiceConsumer{TConsumer}"/>); every queue
    /// and exchange behind <see cref="MessagingOptions.Prefix"/> when one is set; publisher confirms; a raised prefetch; retries,
    /// optional delayed redelivery, then the <c>_error</c> queue. Tune it in the <c>Messaging</c> section.
    /// </summary>
    /// <param name="endpointPrefix">The host's name: consumers added without a service listen behind it ("tests" + UserRegisteredConsumer: <c>tests-user-registered</c>).</param>
    /// <param name="configureConsumers">Adds the host's consumers (and anything else MassTransit registers).</param>
    /// <param name="pins">Contract versions the host was built against; default: the latest of each.</param>
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

        // The codec the bus writes and reads with, also for the integration feed (the same bytes as the broker's).
        services.TryAddSingleton(new AvroSingleObjectCodec(AvroContracts.Default, pins));
        services.AddFeedClient();
        // Serve nothing until the bus is up and its queues are bound, so a message published at start is not lost.
        services.Configure<MassTransitHostOptions>(host => host.WaitUntilStarted = true);
        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(options.EndpointNames(endpointPrefix));
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
            {
                if (options.QueueType == BrokerQueueType.Quorum && endpoint is IRabbitMqReceiveEndpointConfigurator queue)
                    queue.SetQuorumQueue();
                ConfigureFailureHandling(endpoint, options);
            });
            configureConsumers(bus);

            if (string.IsNullOrWhiteSpace(rabbitMq))
            {
                bus.UsingInMemory((context, transport) =>
                {
                    ConfigureTransport(transport, options, pins);
                    ConfigureEndpoints(context, transport, options);
                });
                return;
            }

            if (options.EffectiveRedeliveryIntervals.Count > 0)
                bus.AddDelayedMessageScheduler();

            bus.UsingRabbitMq((context, transport) =>
            {
                ConfigureBroker(transport, BrokerAddress.Parse(rabbitMq), options.QueueType);
                if (options.EffectiveRedeliveryIntervals.Count > 0)
                    transport.UseDelayedMessageScheduler();
                ConfigureTransport(transport, options, pins);
                ConfigureEndpoints(context, transport, options);
            });
        });

        // The bus's shape is composed above from the section as it is now; registered as options too, the section is
        // validated when the host starts (a bad value stops the start, naming the key).
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Adds a service's consumer on an endpoint the kebab-case formatter names behind the service's name, whichever host runs
    /// it: <c>UsersConsumer</c> of "query" listens on <c>query-users</c>, also in a host that runs several services on one bus.
    /// </summary>
    public static IBusRegistrationConfigurator AddServiceConsumer<TConsumer>(this IBusRegistrationConfigurator bus, string service)
        where TConsumer : class, IConsumer
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        bus.AddConsumer<TConsumer>();
        bus.AddSingleton(new ServiceConsumer(service, typeof(TConsumer)));
        return bus;
    }

    /// <summary>One node or a cluster's nodes (the client tries them in turn); quorum queues also for <c>_error</c> and dead letters.</summary>
    static void ConfigureBroker(IRabbitMqBusFactoryConfigurator transport, BrokerAddress broker, BrokerQueueType queueType)
    {
        transport.Host(broker.First, host =>
        {
            host.PublisherConfirmation = true;
            if (broker.IsCluster)
                host.UseCluster(cluster => broker.Nodes.ToList().ForEach(cluster.Node));
        });
        if (queueType == BrokerQueueType.Quorum)
        {
            transport.SendTopology.ConfigureErrorSettings = queue => queue.SetQuorumQueue();
            transport.SendTopology.ConfigureDeadLetterSettings = queue => queue.SetQuorumQueue();
        }
    }

    static void ConfigureTransport(IBusFactoryConfigurator transport, MessagingOptions options, ContractVersionPins? pins)
    {
        transport.UseAvroSerializer(pins);
        transport.PrefetchCount = options.PrefetchCount;
        if (options.ConcurrentMessageLimit is { } limit)
            transport.ConcurrentMessageLimit = limit;
        // Queues bind to one exchange per message type: without the prefix on those too, another system's publishes would
        // still reach this one's (prefixed) queues.
        if (options.HasPrefix)
            transport.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(transport.MessageTopology.EntityNameFormatter, $"{options.Prefix}-"));
    }

    /// <summary>Each service's consumers on endpoints named behind the service, then the rest behind the host's name.</summary>
    static void ConfigureEndpoints<TEndpoint>(IBusRegistrationContext context, IBusFactoryConfigurator<TEndpoint> transport, MessagingOptions options)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        foreach (var service in context.GetServices<ServiceConsumer>().GroupBy(consumer => consumer.Service))
            transport.ConfigureEndpoints(context, filter => filter.Include([.. service.Select(consumer => consumer.Type)]), options.EndpointNames(service.Key));
        transport.ConfigureEndpoints(context);
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
            endpoint.UseMessageRetry(retry => retry.Intervals([.. options.EffectiveRetryIntervals]).Ignore<SerializationException>()); // unreadable stays unreadable

        if (options.Partitions > 0)
            _ = new PartitionByUser(endpoint, options.Partitions); // after the retry: see PartitionByUser
    }

    sealed record ServiceConsumer(string Service, Type Type);
}
