using Accounts.Testing.Servers;
using Testcontainers.RabbitMq;

namespace Accounts.Testing;

/// <summary>RabbitMQ in a container, for machines with a Docker engine.</summary>
public sealed class RabbitMqContainerBroker : IAsyncDisposable
{
    public const string Image = "rabbitmq:3.13-management";

    readonly RabbitMqContainer _container;

    RabbitMqContainerBroker(RabbitMqContainer container) => _container = container;

    public string AmqpUrl => _container.GetConnectionString();

    /// <summary>Testcontainers found a Docker engine.</summary>
    public static bool DockerEngineAnswers() => DockerEngine.IsAvailable;

    public static async Task<RabbitMqContainerBroker> StartAsync()
    {
        var container = new RabbitMqBuilder(Image).Build();
        await container.StartAsync();
        return new RabbitMqContainerBroker(container);
    }

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}
