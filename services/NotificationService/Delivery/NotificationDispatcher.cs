using System.Diagnostics;
using Microsoft.Extensions.Options;
using MimeKit;
using NotificationService.Notifications;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using ServiceDefaults;

namespace NotificationService.Delivery;

/// <summary>
/// Delivers pending notifications in batches: claims up to <see cref="NotificationOptions.BatchSize"/> due ones in one round
/// trip, delivers each through the <see cref="DeliveryPipeline"/> (its own retries, the shared circuit breaker) over one
/// mail session (one SMTP connection for the batch), then records every outcome in one round trip: sent; otherwise pending
/// again later (back-off per round), or failed for good. Delivery is at-least-once: a crash between delivering and recording
/// re-sends that batch's delivered messages once the claim's lease lapses (their Message-ID is the notification id, and the
/// pickup directory writes a message once by that name). A batch stops early, handing back what it did not try, on shutdown
/// and before half the lease is used, so another dispatcher never takes over a notification still being delivered.
/// Woken when notifications are recorded in this process, else by a slow poll or when the next retry falls due. Supervised
/// (pipeline <see cref="SupervisorPipeline"/>): a fault is logged and the loop restarts after a growing pause; pending
/// notifications survive any restart in the store.
/// Each attempt is a client span <see cref="NotificationTelemetry.SendSpan"/>, the child of the trace context stored with the
/// notification, so the e-mail shows up in the trace of the change that caused it; each round's outcome is counted.
/// </summary>
public sealed class NotificationDispatcher(
    INotificationStore store,
    IMailSender sender,
    ResiliencePipelineProvider<string> pipelines,
    DispatchSignal signal,
    IOptions<NotificationOptions> options,
    IOptions<SmtpOptions> smtp,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    /// <summary>The supervisor's restart pipeline (<see cref="Supervisor.AddSupervisor"/>): pauses of 1 s doubling up to a minute.</summary>
    public const string SupervisorPipeline = "notification-dispatcher";
    public static readonly TimeSpan MaxRestartPause = TimeSpan.FromMinutes(1);

    private readonly ResiliencePipeline _delivery = pipelines.GetPipeline(DeliveryPipeline.Name);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        pipelines.SuperviseAsync(SupervisorPipeline, DispatchAsync, logger, stoppingToken);

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = time.GetUtcNow();
            var batch = await store.ClaimDueAsync(now, now + options.Value.ClaimLease, options.Value.BatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                await signal.WaitAsync(await IdleTimeAsync(now, cancellationToken), cancellationToken);
                continue;
            }
            var circuitOpen = await DeliverBatchAsync(batch, now + options.Value.ClaimLease / 2, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (circuitOpen is { } pause)
            {
                await Task.Delay(pause, time, cancellationToken);
            }
        }
    }

    /// <summary>Delivers a claimed batch over one mail session and records the outcomes; returns how long to pause when the circuit is open.</summary>
    private async Task<TimeSpan?> DeliverBatchAsync(IReadOnlyList<Notification> batch, DateTimeOffset handBackAt, CancellationToken cancellationToken)
    {
        var outcomes = new List<DeliveryOutcome>(batch.Count);
        TimeSpan? circuitOpen = null;
        await using var session = sender.OpenSession();
        foreach (var notification in batch)
        {
            if (cancellationToken.IsCancellationRequested || time.GetUtcNow() >= handBackAt)
            {
                outcomes.Add(DeliveryOutcome.Released(notification, time.GetUtcNow()));
                continue;
            }
            var (outcome, pause) = await DeliverAsync(session, notification, cancellationToken);
            outcomes.Add(outcome);
            if (pause is { } wait && (circuitOpen is null || wait > circuitOpen))
            {
                circuitOpen = wait;
            }
        }
        await store.RecordOutcomesAsync(outcomes, CancellationToken.None);
        logger.LogDebug("Delivered a batch of {Count} notifications: {Sent} sent", batch.Count, outcomes.Count(o => o.State == NotificationState.Sent));
        return circuitOpen;
    }

    /// <summary>Until the next retry falls due, at most the poll interval.</summary>
    private async Task<TimeSpan> IdleTimeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var poll = options.Value.PollInterval;
        if (await store.NextDueAsync(cancellationToken) is not { } due)
        {
            return poll;
        }
        var untilDue = due - now;
        return untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < poll ? untilDue + TimeSpan.FromMilliseconds(1) : poll;
    }

    /// <summary>Delivers one claimed notification; returns its outcome, and how long to pause when the circuit is open.</summary>
    private async Task<(DeliveryOutcome Outcome, TimeSpan? CircuitOpen)> DeliverAsync(
        IMailSession session, Notification notification, CancellationToken cancellationToken)
    {
        var tries = 0;
        try
        {
            var message = MailMessages.For(notification, smtp.Value.From);
            await _delivery.ExecuteAsync(async token =>
            {
                tries++;
                await SendAsync(session, notification, message, token);
            }, cancellationToken);
            metrics.Delivered(DeliveryMetrics.Sent);
            logger.LogDebug("Sent {Kind} notification {Id} to user {UserId}", notification.Kind, notification.Id, notification.UserId);
            return (DeliveryOutcome.Sent(notification.Id, notification.Attempts + tries, time.GetUtcNow()), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.Delivered(DeliveryMetrics.Retry);
            return (Failure(notification, tries, "Interrupted by shutdown.", time.GetUtcNow()), null);
        }
        catch (BrokenCircuitException e)
        {
            var wait = e.RetryAfter ?? options.Value.Delivery.BreakDuration;
            metrics.Delivered(DeliveryMetrics.CircuitOpen);
            return (Failure(notification, tries, "Mail delivery circuit is open: " + e.Message, time.GetUtcNow() + wait), wait);
        }
#pragma warning disable CA1031 // Any other failure of a delivery is recorded on the notification, never lost.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var attempts = notification.Attempts + tries;
            DateTimeOffset? retryAt = DeliveryFailures.IsPermanent(e) || attempts >= options.Value.MaxAttempts
                ? null
                : time.GetUtcNow() + RetryDelay(attempts);
            logger.LogWarning(e, "Delivery of notification {Id} failed after {Attempts} attempts; {Next}",
                notification.Id, attempts, retryAt is null ? "giving up" : $"next round at {retryAt:O}");
            metrics.Delivered(retryAt is null ? DeliveryMetrics.Failed : DeliveryMetrics.Retry);
            return (Failure(notification, tries, $"{e.GetType().Name}: {e.Message}", retryAt), null);
        }
    }

    /// <summary>One delivery attempt, as a span in the trace the notification was recorded in.</summary>
    private async Task SendAsync(IMailSession session, Notification notification, MimeMessage message, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(notification.TraceParent, notification.TraceState, out var recordedIn);
        using var activity = NotificationTelemetry.Source.StartActivity(NotificationTelemetry.SendSpan, ActivityKind.Client, recordedIn);
        if (activity is not null)
        {
            if (smtp.Value.Host is { } host)
            {
                activity.SetTag("server.address", host);
                activity.SetTag("server.port", smtp.Value.Port);
            }
            activity.SetTag("notification.id", notification.Id.ToString());
            activity.SetTag("notification.kind", NotificationKindText.Of(notification.Kind));
            activity.SetTag("user.id", notification.UserId.ToString());
        }
        try
        {
            await session.SendAsync(message, cancellationToken);
        }
        catch (Exception e)
        {
            activity.RecordFailure(e);
            throw;
        }
    }

    private DeliveryOutcome Failure(Notification notification, int tries, string error, DateTimeOffset? retryAt) =>
        DeliveryOutcome.AttemptFailed(notification.Id, notification.Attempts + tries, error, retryAt, time.GetUtcNow());

    private TimeSpan RetryDelay(int attempts)
    {
        var delay = options.Value.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 16));
        return delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay;
    }
}
