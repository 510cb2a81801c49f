using Accounts.Contracts;
using MassTransit;
using QueryService.Projection;

namespace QueryService.Integration;

public sealed class UserRegisteredConsumer(UserProfileProjector projector) : IConsumer<UserRegistered>
{
    public Task Consume(ConsumeContext<UserRegistered> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);
}
