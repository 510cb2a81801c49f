using Accounts.Contracts;
using MassTransit;
using NotificationService.Notifications;

namespace NotificationService.Integration;

public sealed class UserEmailChangedConsumer(UserNotifier notifier) : IConsumer<UserEmailChanged>
{
    public Task Consume(ConsumeContext<UserEmailChanged> context) =>
        notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);
}
