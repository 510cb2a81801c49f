using System.Diagnostics;
using System.Runtime.Serialization;
using Accounts.Contracts;
using Accounts.Contracts.Avro;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Accounts.Messaging.Feed;

/// <summary>
/// What every service's <c>UsersConsumer</c> does with each user message, alone or in a batch: hands it to the service's
/// own apply through <see cref="GapRepair"/>, so a gap that outlives a few retries is filled from the command service's
/// feed first. A service says only what applying one message means (<see cref="ApplyAsync"/>).
/// </summary>
public abstract class UserMessagesConsumer(GapRepair repair, AvroSingleObjectCodec codec, IOptions<MessagingOptions> options) : IUserMessagesConsumer
{
    public static readonly ActivitySource Source = new("Accounts.Messaging");

    public Task Consume(ConsumeContext<UserRegistered> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserEmailChanged> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserRenamed> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserDeactivated> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserReactivated> context) => RepairAndApplyAsync(context);

    public Task Consume(ConsumeContext<UserErased> context) => RepairAndApplyAsync(context);

    /// <summary>
    /// Applies a batch's messages: one account's one after another, in the order the queue delivered them (also across
    /// batches handled at once), different accounts' at once, so their writes share the store's commits. A message that
    /// fails does not stop the other accounts' messages; the batch then fails with its exception and is retried (what was
    /// applied is a duplicate then), and at last goes to <c>_error</c> whole, from where a redrive applies what is still
    /// missing. An unreadable message sends it there at once (no retries), after the others were applied.
    /// </summary>
    public async Task Consume(ConsumeContext<UserMessageBatch> context)
    {
        var retryAttempt = context.GetRetryAttempt();
        var queue = context.ReceiveContext.InputAddress?.Segments[^1] ?? "";
        var applies = new List<(Guid, Func<Task>)>(context.Message.Messages.Length);
        List<string>? unreadable = null;
        foreach (var item in context.Message.Messages)
        {
            if (Decode(item, out var reason) is { } message)
                applies.Add((message.UserId, () => ApplyOneAsync(message, item, queue, retryAttempt, context.CancellationToken)));
            else
                (unreadable ??= []).Add(reason!);
        }
        // As many messages at once as the prefetch would hand out alone, however many batches it holds.
        await ArrivalOrder.Of(queue, options.Value.PrefetchCount).RunAsync(applies);
        if (unreadable is not null)
            throw new SerializationException($"{unreadable.Count} of the batch's {context.Message.Messages.Length} messages cannot be read: {string.Join("; ", unreadable)}");
    }

    /// <summary>Applies one message (the live one, or one the feed filled a gap with) to what the service stores.</summary>
    protected abstract Task ApplyAsync(IUserMessage message, Guid messageId, CancellationToken cancellationToken);

    /// <summary>The transport message id the apply is keyed by (default: the id, or empty when the message carries none).</summary>
    protected virtual Guid MessageIdOf(ConsumeContext context) => context.MessageId ?? Guid.Empty;

    private Task RepairAndApplyAsync<T>(ConsumeContext<T> context)
        where T : class, IUserMessage =>
        repair.ApplyAsync(context.Message, MessageIdOf(context), context.GetRetryAttempt(), ApplyAsync, context.CancellationToken);

    private IUserMessage? Decode(BatchedUserMessage item, out string? reason)
    {
        try
        {
            reason = null;
            return codec.Decode(item.Body) as IUserMessage ?? throw new SerializationException("not a user message");
        }
        catch (SerializationException ex)
        {
            reason = $"message {item.MessageId}: {ex.Message}";
            return null;
        }
    }

    /// <summary>Each message of a batch is a span of its own in the trace of its publish (the batch's delivery is in the first one's).</summary>
    private async Task ApplyOneAsync(IUserMessage message, BatchedUserMessage item, string queue, int retryAttempt, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(item.TraceParent, item.TraceState, out var parent);
        using var span = Source.StartActivity($"{queue} {message.GetType().Name} process", ActivityKind.Consumer, parent);
        span?.SetTag("messaging.system", "rabbitmq");
        span?.SetTag("messaging.operation.type", "process");
        span?.SetTag("messaging.destination.name", queue);
        span?.SetTag("messaging.message.id", item.MessageId.ToString());
        span?.SetTag("messaging.message.conversation_id", item.CorrelationId?.ToString());
        try
        {
            await repair.ApplyAsync(message, item.MessageId, retryAttempt, ApplyAsync, cancellationToken);
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }
}
