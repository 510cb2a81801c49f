using MassTransit;

namespace Accounts.Contracts.Tests.Broker;

public sealed class UserRegisteredConsumer(ReceivedMessages received) : IConsumer<UserRegistered>
{
    public Task Consume(ConsumeContext<UserRegistered> context)
    {
        received.Add(context);
        return Task.CompletedTask;
    }
}
