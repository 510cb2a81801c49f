using Accounts.Contracts;
using MassTransit;
using NotificationService.Notifications;

namespace NotificationService.Integration;

public sealed class UserReactivatedConsumer(UserNotifier notifier) : IConsumer<UserReactivated>
{
    public Task Consume(ConsumeContext<UserReactivated> context) =>
        notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);
}
