using Accounts.Contracts;
using MassTransit;
using NotificationService.Notifications;

namespace NotificationService.Integration;

public sealed class UserRegisteredConsumer(UserNotifier notifier) : IConsumer<UserRegistered>
{
    public Task Consume(ConsumeContext<UserRegistered> context) =>
        notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);
}
