using System.Diagnostics;
using Accounts.Contracts;
using QueryService.Rebuild;
using QueryService.Views;
using ServiceDefaults;

namespace QueryService.Projection;

/// <summary>
/// Applies one integration message to the user's view through the <see cref="VersionGate"/> (duplicates change nothing,
/// a gap is retried, the next version is written conditioned on the stored one) and wakes read-your-writes waiters.
/// A rebuild's switch holds applies back for a moment (<see cref="LiveWritesGate"/>). Each apply is a span <c>project &lt;Message&gt;</c>; an applied change records the projection lag.
/// </summary>
public sealed class UserProfileProjector(
    IUserViewStore store, UserChanges changes, LiveWritesGate gate, ProjectionProgress progress, TimeProvider time,
    ILogger<UserProfileProjector> logger)
{
    /// <param name="message">The integration message.</param>
    /// <param name="messageId">The transport message id, for the span only.</param>
    /// <param name="cancellationToken">Cancels the apply.</param>
    public async Task<VersionGateOutcome> ApplyAsync(IUserMessage message, Guid? messageId = null, CancellationToken cancellationToken = default)
    {
        using var activity = QueryTelemetry.Source.StartActivity($"project {message.GetType().Name}", ActivityKind.Internal);
        activity?.SetTag("user.id", message.UserId.ToString());
        activity?.SetTag("user.version", message.Version);
        activity?.SetTag("messaging.message.id", messageId?.ToString());
        try
        {
            using var entered = await gate.EnterAsync(cancellationToken);
            var (outcome, stored) = await VersionGate.ApplyAsync(message, store.FindAsync, view => view.Version,
                (view, ct) => store.TryWriteAsync(UserProfileEvolution.Evolve(view, message), ct), cancellationToken);
            activity?.SetTag("projection.applied", outcome == VersionGateOutcome.Applied);
            if (outcome == VersionGateOutcome.Applied)
            {
                changes.Changed(message.UserId);
                QueryTelemetry.ProjectionLag.Record((time.GetUtcNow() - message.OccurredAt).TotalMilliseconds);
                progress.Applied(message.OccurredAt);
            }
            else
            {
                logger.LogDebug("Skipped {Message} v{Version} of user {UserId}: the view is at v{Stored}",
                    message.GetType().Name, message.Version, message.UserId, stored);
            }
            return outcome;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            activity?.SetTag("error.type", e.GetType().Name);
            throw;
        }
    }
}
