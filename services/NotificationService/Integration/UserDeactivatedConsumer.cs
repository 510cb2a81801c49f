using Accounts.Contracts;
using MassTransit;
using NotificationService.Notifications;

namespace NotificationService.Integration;

public sealed class UserDeactivatedConsumer(UserNotifier notifier) : IConsumer<UserDeactivated>
{
    public Task Consume(ConsumeContext<UserDeactivated> context) =>
        notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);
}
