using System.Globalization;
using Accounts.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Registry;

namespace EventStore.EventStoreDb.Tests;

/// <summary>The adapter's pipelines as the container builds them, on a fake clock that the tests move on.</summary>
public sealed class ResilienceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services;

    public ResilienceTests() =>
        _services = new ServiceCollection().AddSingleton<TimeProvider>(_time).AddFakeLogging().AddEventStoreDbResilience().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    public async Task Reads_are_retried_after_unavailable_and_deadline_exceeded(StatusCode code)
    {
        var attempts = 0;
        var result = await RunAsync(Pipeline(EventStoreDbResilience.Reads).ExecuteAsync(_ =>
            ++attempts < 3 ? throw new RpcException(new Status(code, "x")) : ValueTask.FromResult("read")));
        Assert.Equal(("read", 3), (result, attempts));
    }

    [Fact]
    public async Task Appends_are_retried_after_unavailable_only_because_their_event_ids_make_the_retry_idempotent()
    {
        var attempts = 0;
        await RunAsync(Pipeline(EventStoreDbResilience.Appends).ExecuteAsync(_ =>
            ++attempts < 2 ? throw new RpcException(new Status(StatusCode.Unavailable, "x")) : ValueTask.FromResult(true)));
        Assert.Equal(2, attempts);
    }

    [Theory]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Aborted)]
    [InlineData(StatusCode.FailedPrecondition)]
    public async Task Appends_are_not_retried_when_the_first_write_may_have_landed_or_was_refused(StatusCode code)
    {
        var attempts = 0;
        await Assert.ThrowsAsync<RpcException>(async () => await Pipeline(EventStoreDbResilience.Appends).ExecuteAsync(_ =>
        {
            attempts++;
            throw new RpcException(new Status(code, "x"));
        }));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Retries_give_up_after_the_configured_attempts()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<RpcException>(() => RunAsync(Pipeline(EventStoreDbResilience.Reads).ExecuteAsync<bool>(_ =>
        {
            attempts++;
            throw new RpcException(new Status(StatusCode.Unavailable, "x"));
        })));
        Assert.Equal(EventStoreDbResilience.MaxRetryAttempts + 1, attempts);
    }

    [Fact]
    public async Task A_dropped_subscription_is_resubscribed_after_pauses_doubling_from_100_ms_up_to_10_s()
    {
        var drops = 0;
        await RunAsync(Pipeline(EventStoreDbResilience.Resubscribe).ExecuteAsync(_ =>
            ++drops <= 10 ? throw new SubscriptionDroppedException() : ValueTask.FromResult(true)));
        Assert.Equal([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000], LoggedPausesInMilliseconds());
    }

    [Fact]
    public async Task Once_a_subscription_answered_the_next_drop_pauses_100_ms_again()
    {
        var resubscribe = Pipeline(EventStoreDbResilience.Resubscribe);
        var drops = 0;
        await RunAsync(resubscribe.ExecuteAsync(_ => ++drops <= 2 ? throw new SubscriptionDroppedException() : ValueTask.FromResult(true)));
        drops = 0;
        await RunAsync(resubscribe.ExecuteAsync(_ => ++drops <= 1 ? throw new SubscriptionDroppedException() : ValueTask.FromResult(true)));
        Assert.Equal([100, 200, 100], LoggedPausesInMilliseconds());
    }

    [Fact]
    public async Task Other_failures_of_a_subscription_are_not_resubscribed_here()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<RpcException>(async () => await Pipeline(EventStoreDbResilience.Resubscribe).ExecuteAsync(_ =>
        {
            attempts++;
            throw new RpcException(new Status(StatusCode.PermissionDenied, "x"));
        }));
        Assert.Equal(1, attempts);
    }

    private ResiliencePipeline Pipeline(string name) => _services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(name);

    /// <summary>Awaits an execution whose back-off waits on the fake clock, moving the clock on while it runs.</summary>
    private async Task<T> RunAsync<T>(ValueTask<T> execution)
    {
        var running = execution.AsTask();
        await Eventually.UntilAsync("the pipeline to finish on the fake clock", () =>
        {
            _time.Advance(EventStoreDbResilience.MaxResubscribeDelay);
            return running.IsCompleted;
        });
        return await running;
    }

    private List<double> LoggedPausesInMilliseconds() =>
        _services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Message.StartsWith("The subscription to $all ended", StringComparison.Ordinal))
            .Select(r => TimeSpan.Parse(r.GetStructuredStateValue("Delay")!, CultureInfo.InvariantCulture).TotalMilliseconds)
            .ToList();
}
