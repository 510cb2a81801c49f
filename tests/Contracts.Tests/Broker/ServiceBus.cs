using Accounts.Contracts.Avro;
using Accounts.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Contracts.Tests.Broker;

/// <summary>One service's bus, set up with <see cref="MessagingRegistrations.AddAccountsMessaging"/> against the test broker.</summary>
public sealed class ServiceBus : IAsyncDisposable
{
    readonly ServiceProvider _provider;

    ServiceBus(ServiceProvider provider)
    {
        _provider = provider;
        Bus = provider.GetRequiredService<IBusControl>();
    }

    public IBusControl Bus { get; }

    public ReceivedMessages Received => _provider.GetRequiredService<ReceivedMessages>();

    /// <summary>Retries are 3 x 1 s, so a message that burned them would take over 3 s to reach the error queue.</summary>
    public static async Task<ServiceBus> StartAsync(string amqpUrl, string endpointPrefix, bool consumes, ContractVersionPins? pins = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = amqpUrl,
            ["Messaging:PrefetchCount"] = "50",
            ["Messaging:RetryIntervals:0"] = "00:00:01",
            ["Messaging:RetryIntervals:1"] = "00:00:01",
            ["Messaging:RetryIntervals:2"] = "00:00:01",
        }).Build();

        var services = new ServiceCollection().AddSingleton<ReceivedMessages>();
        services.AddAccountsMessaging(configuration, endpointPrefix, bus =>
        {
            if (consumes)
                bus.AddConsumer<UserRegisteredConsumer>();
        }, pins);

        var serviceBus = new ServiceBus(services.BuildServiceProvider());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await serviceBus.Bus.StartAsync(timeout.Token);
        return serviceBus;
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.StopAsync();
        await _provider.DisposeAsync();
    }
}
