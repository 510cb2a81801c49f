using Accounts.Contracts;
using MassTransit;
using QueryService.Projection;

namespace QueryService.Integration;

public sealed class UserRenamedConsumer(UserProfileProjector projector) : IConsumer<UserRenamed>
{
    public Task Consume(ConsumeContext<UserRenamed> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);
}
