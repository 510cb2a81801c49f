using Accounts.Contracts;
using Accounts.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace QueryService.Tests;

/// <summary>A bus of its own on the real broker that only publishes (Avro, like the command service's relay).</summary>
public sealed class BrokerPublisher : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BrokerPublisher(ServiceProvider services) => _services = services;

    public IBus Bus => _services.GetRequiredService<IBus>();

    /// <param name="amqpUrl">The broker.</param>
    /// <param name="prefix">The <c>Messaging:Prefix</c> it publishes behind; default: this test process's.</param>
    public static async Task<BrokerPublisher> StartAsync(string amqpUrl, string? prefix = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = amqpUrl,
                ["Messaging:Prefix"] = prefix ?? RabbitMqFixture.MessagingPrefix,
            })
            .Build();
        var services = new ServiceCollection().AddLogging().AddAccountsMessaging(configuration, "test-publisher", _ => { }).BuildServiceProvider();
        await services.GetRequiredService<IBusControl>().StartAsync();
        return new BrokerPublisher(services);
    }

    /// <summary>Publishes as its concrete type with a given message id, as a re-publish of the same domain event would.</summary>
    public Task PublishAsync(IUserMessage message, Guid messageId) =>
        Bus.Publish(message, message.GetType(), context => context.MessageId = messageId);

    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<IBusControl>().StopAsync();
        await _services.DisposeAsync();
    }
}
