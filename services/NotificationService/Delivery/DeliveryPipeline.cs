using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace NotificationService.Delivery;

/// <summary>
/// The resilience around one delivery round: a retry with exponential back-off and jitter, outside a circuit breaker
/// (shared by all deliveries, so a dead server stops being hammered), outside a timeout per attempt. Permanent failures and
/// an open circuit are not retried here: the dispatcher records them and decides when to come back.
/// </summary>
public static class DeliveryPipeline
{
    /// <param name="options">The delivery settings.</param>
    /// <param name="logger">Where retries and circuit changes are logged.</param>
    /// <param name="time">The clock of back-off and break durations.</param>
    /// <param name="circuit">Exposes the breaker's state (for the circuit gauge); one provider serves one pipeline.</param>
    public static ResiliencePipeline Create(
        IOptions<NotificationOptions> options, ILogger logger, TimeProvider time, CircuitBreakerStateProvider? circuit = null)
    {
        var delivery = options.Value.Delivery;
        var transient = new PredicateBuilder().Handle<Exception>(DeliveryFailures.IsTransient);
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = delivery.RetryAttempts,
                Delay = delivery.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception, "Delivery attempt {Attempt} failed; next in {Delay}", args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = delivery.FailureRatio,
                MinimumThroughput = delivery.MinimumThroughput,
                SamplingDuration = delivery.SamplingDuration,
                BreakDuration = delivery.BreakDuration,
                StateProvider = circuit,
                OnOpened = args =>
                {
                    logger.LogWarning(args.Outcome.Exception, "Mail delivery circuit opened for {Break}", args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("Mail delivery circuit closed");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(delivery.AttemptTimeout)
            .Build();
    }
}
