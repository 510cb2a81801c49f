using Accounts.Contracts;
using Accounts.Messaging;
using MassTransit;
using QueryService.Projection;

namespace QueryService.Integration;

/// <summary>
/// Feeds every user message to the projector. Its one queue (named by the kebab-case formatter: <c>query-users</c>) keeps a
/// user's messages in publish order, mostly, so gap retries stay rare; retries and partitioning are the shared messaging set-up's.
/// </summary>
public sealed class UsersConsumer(UserProfileProjector projector) : IUserMessagesConsumer
{
    public Task Consume(ConsumeContext<UserRegistered> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);

    public Task Consume(ConsumeContext<UserEmailChanged> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);

    public Task Consume(ConsumeContext<UserRenamed> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);

    public Task Consume(ConsumeContext<UserDeactivated> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);

    public Task Consume(ConsumeContext<UserReactivated> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);

    public Task Consume(ConsumeContext<UserErased> context) => projector.ApplyAsync(context.Message, context.MessageId, context.CancellationToken);
}
