using System.Diagnostics;
using Accounts.Contracts;

namespace NotificationService.Notifications;

/// <summary>
/// Handles one integration message through the <see cref="VersionGate"/> on the user's contact (duplicates record
/// nothing, a gap is retried). The next version's notifications are recorded first (insert-if-absent) and the contact
/// advanced after, so a crash in between only repeats no-op inserts on redelivery.
/// Each message is a span <c>notify &lt;Message&gt;</c>, and every notification recorded keeps the current W3C trace context
/// so the dispatcher's later delivery joins this trace.
/// </summary>
public sealed class UserNotifier(
    IContactStore contacts, INotificationStore notifications, DispatchSignal dispatch, TimeProvider time, ILogger<UserNotifier> logger)
{
    public async Task HandleAsync(IUserMessage message, Guid messageId, CancellationToken cancellationToken = default)
    {
        using var activity = NotificationTelemetry.Source.StartActivity($"notify {message.GetType().Name}", ActivityKind.Internal);
        activity?.SetTag("user.id", message.UserId.ToString());
        activity?.SetTag("user.version", message.Version);
        activity?.SetTag("messaging.message.id", messageId.ToString());
        try
        {
            var recorded = 0;
            var (outcome, stored) = await VersionGate.ApplyAsync(message, contacts.FindContactAsync, contact => contact.Version,
                async (contact, ct) =>
                {
                    if (message is UserErased)
                    {
                        await notifications.EraseUserAsync(message.UserId, time.GetUtcNow(), ct); // before the contact: a retry repeats it
                    }
                    var plan = NotificationPlan.For(contact, message, messageId, time.GetUtcNow());
                    recorded += await RecordAsync(plan.Notifications, ct);
                    return await contacts.TryWriteContactAsync(plan.Contact, ct);
                },
                cancellationToken);
            if (outcome == VersionGateOutcome.Duplicate)
            {
                logger.LogDebug("Skipped {Message} v{Version} of user {UserId}: the contact is at v{Stored}",
                    message.GetType().Name, message.Version, message.UserId, stored);
            }
            activity?.SetTag("notifications.recorded", recorded);
        }
        catch (Exception e)
        {
            activity.RecordFailure(e);
            throw;
        }
    }

    /// <summary>Records the notifications that are not yet recorded, with the current trace context; returns how many.</summary>
    private async Task<int> RecordAsync(IReadOnlyList<Notification> planned, CancellationToken cancellationToken)
    {
        var trace = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? (current.Id, current.TraceStateString) : (null, null);
        var added = 0;
        foreach (var notification in planned)
        {
            var traced = notification with { TraceParent = trace.Id, TraceState = trace.TraceStateString };
            added += await notifications.AddAsync(traced, cancellationToken) ? 1 : 0;
        }
        if (added > 0)
        {
            dispatch.Wake();
        }
        return added;
    }
}
