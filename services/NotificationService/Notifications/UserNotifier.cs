using System.Diagnostics;
using Accounts.Contracts;
using ServiceDefaults;

namespace NotificationService.Notifications;

/// <summary>
/// Handles one integration message through the <see cref="VersionGate"/> on the user's contact (duplicates record
/// nothing, a gap is retried). The next version's notifications (insert-if-absent) and the advanced contact are one write
/// (<see cref="IContactStore.TryAdvanceAsync"/>), so a redelivery after a crash repeats at most no-op inserts.
/// Recorded notifications wake the user's read-your-writes waiters (<see cref="UserChanges"/>).
/// Each message is a span <c>notify &lt;Message&gt;</c>, and every notification recorded keeps the current W3C trace context
/// so the dispatcher's later delivery joins this trace.
/// </summary>
public sealed class UserNotifier(
    IContactStore contacts, INotificationStore notifications, DispatchSignal dispatch, UserChanges changes, TimeProvider time,
    ILogger<UserNotifier> logger)
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
                    var (written, added) = await contacts.TryAdvanceAsync(plan.Contact, Traced(plan.Notifications), ct);
                    if (added > 0)
                    {
                        recorded += added;
                        dispatch.Wake();
                        changes.Changed(message.UserId);
                    }
                    return written;
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

    /// <summary>The notifications with the current trace context, so their delivery joins this trace.</summary>
    private static List<Notification> Traced(IReadOnlyList<Notification> planned)
    {
        var trace = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? (current.Id, current.TraceStateString) : (null, null);
        return [.. planned.Select(n => n with { TraceParent = trace.Id, TraceState = trace.TraceStateString })];
    }
}
