using Polly;
using Polly.Retry;

namespace ServiceDefaults;

/// <summary>
/// A Polly retry that never gives up: pauses double from <c>first</c> up to <c>max</c>, without jitter (one caller per
/// resource: a supervised loop, a subscription). Say what it handles with <see cref="RetryStrategyOptions{TResult}.ShouldHandle"/>.
/// </summary>
public sealed class RetryForeverOptions : RetryStrategyOptions
{
    public RetryForeverOptions(TimeSpan first, TimeSpan max)
    {
        MaxRetryAttempts = int.MaxValue;
        BackoffType = DelayBackoffType.Exponential;
        UseJitter = false;
        Delay = first;
        MaxDelay = max;
    }
}
