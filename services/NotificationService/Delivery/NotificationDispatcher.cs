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
/// Delivers pending notifications, one claimed at a time, through the <see cref="DeliveryPipeline"/>, and records each outcome: sent
/// right after the mail system accepted it; otherwise pending again later (back-off per round), or failed for good.
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
            var claimed = await store.ClaimNextDueAsync(now, now + options.Value.ClaimLease, cancellationToken);
            if (claimed is null)
            {
                await signal.WaitAsync(await IdleTimeAsync(now, cancellationToken), cancellationToken);
                continue;
            }
            if (await DeliverAsync(claimed, cancellationToken) is { } circuitOpen)
            {
                await Task.Delay(circuitOpen, time, cancellationToken);
            }
        }
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

    /// <summary>Delivers one claimed notification; returns how long to pause when the circuit is open.</summary>
    private async Task<TimeSpan?> DeliverAsync(Notification notification, CancellationToken cancellationToken)
    {
        var tries = 0;
        try
        {
            var message = MailMessages.For(notification, smtp.Value.From);
            await _delivery.ExecuteAsync(async token =>
            {
                tries++;
                await SendAsync(notification, message, token);
            }, cancellationToken);
            await store.MarkSentAsync(notification.Id, notification.Attempts + tries, time.GetUtcNow(), CancellationToken.None);
            metrics.Delivered(DeliveryMetrics.Sent);
            logger.LogInformation("Sent {Kind} notification {Id} to user {UserId}", notification.Kind, notification.Id, notification.UserId);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(notification, tries, "Interrupted by shutdown.", time.GetUtcNow());
            metrics.Delivered(DeliveryMetrics.Retry);
            throw;
        }
        catch (BrokenCircuitException e)
        {
            var wait = e.RetryAfter ?? options.Value.Delivery.BreakDuration;
            await RecordFailureAsync(notification, tries, "Mail delivery circuit is open: " + e.Message, time.GetUtcNow() + wait);
            metrics.Delivered(DeliveryMetrics.CircuitOpen);
            return wait;
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
            await RecordFailureAsync(notification, tries, $"{e.GetType().Name}: {e.Message}", retryAt);
            metrics.Delivered(retryAt is null ? DeliveryMetrics.Failed : DeliveryMetrics.Retry);
            return null;
        }
    }

    /// <summary>One delivery attempt, as a span in the trace the notification was recorded in.</summary>
    private async Task SendAsync(Notification notification, MimeMessage message, CancellationToken cancellationToken)
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
            await sender.SendAsync(message, cancellationToken);
        }
        catch (Exception e)
        {
            activity.RecordFailure(e);
            throw;
        }
    }

    private Task<bool> RecordFailureAsync(Notification notification, int tries, string error, DateTimeOffset? retryAt) =>
        store.MarkAttemptFailedAsync(notification.Id, notification.Attempts + tries, error, retryAt, time.GetUtcNow(), CancellationToken.None);

    private TimeSpan RetryDelay(int attempts)
    {
        var delay = options.Value.RetryDelay * Math.Pow(2, Math.Min(attempts - 1, 16));
        return delay < options.Value.MaxRetryDelay ? delay : options.Value.MaxRetryDelay;
    }
}
