using Grpc.Core;
using Polly;
using Polly.Retry;

namespace EventStore.EventStoreDb;

/// <summary>The retry pipelines: reads retry on Unavailable and DeadlineExceeded, appends on Unavailable only.</summary>
public static class EventStoreDbResilience
{
    public const int MaxRetryAttempts = 4;

    public static ResiliencePipeline Reads() => Retry(e =>
        EventStoreDbErrors.IsTransient(e) || e.StatusCode == StatusCode.DeadlineExceeded);

    /// <summary>
    /// An append is never retried blindly: it is retried only after Unavailable, and only because every attempt carries
    /// the same event ids, so a server that did store the first attempt recognises the retry as a duplicate and answers
    /// as it did the first time (EventStoreDB's idempotent write check) instead of appending twice. A DeadlineExceeded
    /// is not retried: the first write may still be in flight, and the caller must decide (reload and retry, or fail).
    /// </summary>
    public static ResiliencePipeline Appends() => Retry(EventStoreDbErrors.IsTransient);

    private static ResiliencePipeline Retry(Func<RpcException, bool> transient) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(transient),
            MaxRetryAttempts = MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
        })
        .Build();
}
