using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using ServiceDefaults;

namespace EventStore.EventStoreDb;

/// <summary>
/// The adapter's Polly pipelines, registered by name (<see cref="AddEventStoreDbResilience"/>) and timed by the
/// container's <see cref="TimeProvider"/>: reads retry on Unavailable and DeadlineExceeded, appends on Unavailable only,
/// and a dropped subscription to $all is re-established after a pause that doubles from 100 ms up to 10 s, forever.
/// </summary>
public static class EventStoreDbResilience
{
    public const string Reads = "eventstoredb-reads";

    /// <summary>
    /// An append is never retried blindly: it is retried only after Unavailable, and only because every attempt carries
    /// the same event ids, so a server that did store the first attempt recognises the retry as a duplicate and answers
    /// as it did the first time (EventStoreDB's idempotent write check) instead of appending twice. A DeadlineExceeded
    /// is not retried: the first write may still be in flight, and the caller must decide (reload and retry, or fail).
    /// </summary>
    public const string Appends = "eventstoredb-appends";

    /// <summary>Resubscribing to $all after the server ended or dropped the subscription (<see cref="SubscriptionDroppedException"/>).</summary>
    public const string Resubscribe = "eventstoredb-resubscribe";

    public const int MaxRetryAttempts = 4;
    public static readonly TimeSpan FirstResubscribeDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxResubscribeDelay = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddEventStoreDbResilience(this IServiceCollection services)
    {
        services.AddResiliencePipeline(Reads, builder => builder.AddRetry(CallRetry(e =>
            EventStoreDbErrors.IsTransient(e) || e.StatusCode == StatusCode.DeadlineExceeded)));
        services.AddResiliencePipeline(Appends, builder => builder.AddRetry(CallRetry(EventStoreDbErrors.IsTransient)));
        services.AddResiliencePipeline(Resubscribe, (builder, context) =>
        {
            var logger = (context.ServiceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<EventStoreDbEventStore>();
            builder.AddRetry(new RetryForeverOptions(FirstResubscribeDelay, MaxResubscribeDelay)
            {
                ShouldHandle = new PredicateBuilder().Handle<SubscriptionDroppedException>(),
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception?.InnerException, "The subscription to $all ended; resubscribing in {Delay}", args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        });
        return services;
    }

    private static RetryStrategyOptions CallRetry(Func<RpcException, bool> transient) => new()
    {
        ShouldHandle = new PredicateBuilder().Handle(transient),
        MaxRetryAttempts = MaxRetryAttempts,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromSeconds(5),
    };
}
