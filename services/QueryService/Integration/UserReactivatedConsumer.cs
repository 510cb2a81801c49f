using Accounts.Contracts;
using MassTransit;
using QueryService.Projection;

namespace QueryService.Integration;

public sealed class UserReactivatedConsumer(UserProfileProjector projector) : IConsumer<UserReactivated>
{
    public Task Consume(ConsumeContext<UserReactivated> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);
}
