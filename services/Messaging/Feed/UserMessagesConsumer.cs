using Accounts.Contracts;
using MassTransit;

namespace Accounts.Messaging.Feed;

/// <summary>
/// What every service's <c>UsersConsumer</c> does with each user message: hands it to the service's own apply through
/// <see cref="GapRepair"/>, so a gap that outlives a few retries is filled from the command service's feed first. A
/// service says only what applying one message means (<see cref="ApplyAsync"/>).
/// </summary>
public abstract class UserMessagesConsumer(GapRepair repair) : IUserMessagesConsumer
{
    public Task Consume(ConsumeContext<UserRegistered> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserEmailChanged> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserRenamed> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserDeactivated> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserReactivated> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserErased> context) => RepairAndApplyAsync(context);

    /// <summary>Applies one message (the live one, or one the feed filled a gap with) to what the service stores.</summary>
    protected abstract Task ApplyAsync(IUserMessage message, Guid messageId, CancellationToken cancellationToken);

    /// <summary>The transport message id the apply is keyed by (default: the id, or empty when the message carries none).</summary>
    protected virtual Guid MessageIdOf(ConsumeContext context) => context.MessageId ?? Guid.Empty;

    private Task RepairAndApplyAsync<T>(ConsumeContext<T> context)
        where T : class, IUserMessage =>
        repair.ApplyAsync(context.Message, MessageIdOf(context), context.GetRetryAttempt(), ApplyAsync, context.CancellationToken);
}
