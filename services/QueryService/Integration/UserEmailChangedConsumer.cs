using Accounts.Contracts;
using MassTransit;
using QueryService.Projection;

namespace QueryService.Integration;

public sealed class UserEmailChangedConsumer(UserProfileProjector projector) : IConsumer<UserEmailChanged>
{
    public Task Consume(ConsumeContext<UserEmailChanged> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);
}
