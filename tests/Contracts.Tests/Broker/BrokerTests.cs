using Accounts.Testing;

namespace Accounts.Contracts.Tests.Broker;

[CollectionDefinition(Name)]
public sealed class BrokerTests : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "rabbitmq";
}
