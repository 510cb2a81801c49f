using Accounts.Contracts.Avro;
using Accounts.Contracts.MassTransit;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Contracts.Tests.Broker;

/// <summary>
/// One service's bus on the test broker, built by MassTransit's test harness over RabbitMQ with the Avro serializer under
/// test: kebab-case endpoint names behind a prefix of its own, publisher confirms, and retries, as the services have them.
/// </summary>
public sealed class ServiceBus : IAsyncDisposable
{
    /// <summary>Retries a consumer's failure gets before its message goes to the error queue.</summary>
    public const int RetryLimit = 3;

    readonly ServiceProvider _provider;

    ServiceBus(ServiceProvider provider, ITestHarness harness)
    {
        _provider = provider;
        Harness = harness;
    }

    public ITestHarness Harness { get; }

    public IBus Bus => Harness.Bus;

    public static async Task<ServiceBus> StartAsync(string amqpUrl, string endpointPrefix, bool consumes, ContractVersionPins? pins = null)
    {
        var provider = new ServiceCollection()
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(30), testInactivityTimeout: TimeSpan.FromSeconds(30));
                bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(endpointPrefix, includeNamespace: false));
                if (consumes)
                    bus.AddConsumer<UserRegisteredConsumer>();

                bus.UsingRabbitMq((context, transport) =>
                {
                    transport.Host(new Uri(amqpUrl), host => host.PublisherConfirmation = true);
                    transport.UseAvroSerializer(pins);
                    transport.UseMessageRetry(retry => retry.Immediate(RetryLimit));
                    transport.ConfigureEndpoints(context);
                });
            })
            .BuildServiceProvider(validateScopes: true);

        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return new ServiceBus(provider, harness);
    }

    /// <summary>The next <see cref="UserRegistered"/> this service consumed for the user; fails when none arrives in time.</summary>
    public async Task<UserRegistered> ConsumedFor(Guid userId)
    {
        Assert.True(
            await Harness.Consumed.Any<UserRegistered>(consumed => consumed.Context.Message.UserId == userId),
            $"No UserRegistered for {userId} was consumed within {Harness.TestTimeout}.");
        return Harness.Consumed.Select<UserRegistered>(consumed => consumed.Context.Message.UserId == userId).First().Context.Message;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
