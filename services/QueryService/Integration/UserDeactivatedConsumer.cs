using Accounts.Contracts;
using MassTransit;
using QueryService.Projection;

namespace QueryService.Integration;

public sealed class UserDeactivatedConsumer(UserProfileProjector projector) : IConsumer<UserDeactivated>
{
    public Task Consume(ConsumeContext<UserDeactivated> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);
}
