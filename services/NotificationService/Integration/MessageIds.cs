using MassTransit;

namespace NotificationService.Integration;

public static class MessageIds
{
    /// <summary>
    /// The transport message id: the domain event's id, stable across re-publishes, from which notification ids derive.
    /// A message without one cannot be recorded exactly once, so it fails (and goes to the error queue).
    /// </summary>
    public static Guid RequiredMessageId(this ConsumeContext context) =>
        context.MessageId ?? throw new InvalidOperationException("The message has no message id, so its notifications cannot be de-duplicated.");
}
