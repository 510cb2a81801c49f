using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace NotificationService.Delivery;

/// <summary>
/// The resilience around one delivery round: a retry with exponential back-off and jitter, outside a circuit breaker
/// (shared by all deliveries, so a dead server stops being hammered), outside a timeout per attempt. Permanent failures and
/// an open circuit are not retried here: the dispatcher records them and decides when to come back. Registered as the
/// Polly pipeline <see cref="Name"/>, timed by the container's <see cref="TimeProvider"/>; the breaker's state is the
/// container's <see cref="CircuitBreakerStateProvider"/> (for the circuit gauge).
/// </summary>
public static class DeliveryPipeline
{
    public const string Name = "notification-delivery";

    public static IServiceCollection AddDeliveryPipeline(this IServiceCollection services)
    {
        services.TryAddSingleton<CircuitBreakerStateProvider>();
        return services.AddResiliencePipeline(Name, (builder, context) =>
        {
            var delivery = context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value.Delivery;
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DeliveryPipeline));
            var transient = new PredicateBuilder().Handle<Exception>(DeliveryFailures.IsTransient);
            builder
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
                    StateProvider = context.ServiceProvider.GetRequiredService<CircuitBreakerStateProvider>(),
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
                .AddTimeout(delivery.AttemptTimeout);
        });
    }
}
