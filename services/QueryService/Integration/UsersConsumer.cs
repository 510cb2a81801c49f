using Accounts.Contracts;
using Accounts.Messaging;
using Accounts.Messaging.Feed;
using MassTransit;
using QueryService.Projection;

namespace QueryService.Integration;

/// <summary>
/// Feeds every user message to the projector. Its one queue (named by the kebab-case formatter: <c>query-users</c>) keeps a
/// user's messages in publish order, mostly, so gap retries stay rare; retries and partitioning are the shared messaging
/// set-up's, and a gap that outlives a few retries is filled from the command service's feed (<see cref="GapRepair"/>).
/// </summary>
public sealed class UsersConsumer(UserProfileProjector projector, GapRepair repair) : IUserMessagesConsumer
{
    public Task Consume(ConsumeContext<UserRegistered> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<UserEmailChanged> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<UserRenamed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<UserDeactivated> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<UserReactivated> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<UserErased> context) => ApplyAsync(context);

    private Task ApplyAsync<T>(ConsumeContext<T> context)
        where T : class, IUserMessage =>
        repair.ApplyAsync(context.Message, context.MessageId ?? Guid.Empty, context.GetRetryAttempt(),
            (message, messageId, token) => projector.ApplyAsync(message, messageId, token), context.CancellationToken);
}
