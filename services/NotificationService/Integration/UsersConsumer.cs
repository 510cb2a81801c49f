using Accounts.Contracts;
using Accounts.Contracts.Avro;
using Accounts.Messaging;
using Accounts.Messaging.Feed;
using Microsoft.Extensions.Options;
using MassTransit;
using NotificationService.Notifications;

namespace NotificationService.Integration;

/// <summary>
/// Feeds every user message to the notifier, keyed by the transport message id (notification ids derive from it). Its one
/// queue, <c>notification-users</c> (the kebab-case formatter's name), keeps a user's messages in publish order, mostly; a
/// gap that outlives a few retries is filled from the command service's feed, whose message ids are the relay's
/// (<see cref="GapRepair"/>), so a repaired notification is recorded, and delivered, once.
/// </summary>
public sealed class UsersConsumer(UserNotifier notifier, GapRepair repair, AvroSingleObjectCodec codec, IOptions<MessagingOptions> options)
    : UserMessagesConsumer(repair, codec, options)
{
    protected override Task ApplyAsync(IUserMessage message, Guid messageId, CancellationToken cancellationToken) =>
        notifier.HandleAsync(message, messageId, cancellationToken);

    protected override Guid MessageIdOf(ConsumeContext context) => context.RequiredMessageId();
}
