using Accounts.Contracts;
using Accounts.Messaging;
using MassTransit;
using NotificationService.Notifications;

namespace NotificationService.Integration;

/// <summary>
/// Feeds every user message to the notifier, keyed by the transport message id (notification ids derive from it). Its one
/// queue, <c>notification-users</c> (the kebab-case formatter's name), keeps a user's messages in publish order, mostly.
/// </summary>
public sealed class UsersConsumer(UserNotifier notifier) : IUserMessagesConsumer
{
    public Task Consume(ConsumeContext<UserRegistered> context) => notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);

    public Task Consume(ConsumeContext<UserEmailChanged> context) => notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);

    public Task Consume(ConsumeContext<UserRenamed> context) => notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);

    public Task Consume(ConsumeContext<UserDeactivated> context) => notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);

    public Task Consume(ConsumeContext<UserReactivated> context) => notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);

    public Task Consume(ConsumeContext<UserErased> context) => notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);
}
