using Accounts.Contracts;
using MassTransit;
using NotificationService.Notifications;

namespace NotificationService.Integration;

public sealed class UserRenamedConsumer(UserNotifier notifier) : IConsumer<UserRenamed>
{
    public Task Consume(ConsumeContext<UserRenamed> context) =>
        notifier.HandleAsync(context.Message, context.RequiredMessageId(), context.CancellationToken);
}
