using Grpc.Core;

namespace EventStore.EventStoreDb.Tests;

public sealed class ResilienceTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    public async Task Reads_are_retried_after_unavailable_and_deadline_exceeded(StatusCode code)
    {
        var attempts = 0;
        var result = await EventStoreDbResilience.Reads().ExecuteAsync(_ =>
            ++attempts < 3 ? throw new RpcException(new Status(code, "x")) : ValueTask.FromResult("read"));
        Assert.Equal(("read", 3), (result, attempts));
    }

    [Fact]
    public async Task Appends_are_retried_after_unavailable_only_because_their_event_ids_make_the_retry_idempotent()
    {
        var attempts = 0;
        await EventStoreDbResilience.Appends().ExecuteAsync(_ =>
            ++attempts < 2 ? throw new RpcException(new Status(StatusCode.Unavailable, "x")) : ValueTask.CompletedTask);
        Assert.Equal(2, attempts);
    }

    [Theory]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Aborted)]
    [InlineData(StatusCode.FailedPrecondition)]
    public async Task Appends_are_not_retried_when_the_first_write_may_have_landed_or_was_refused(StatusCode code)
    {
        var attempts = 0;
        await Assert.ThrowsAsync<RpcException>(async () => await EventStoreDbResilience.Appends().ExecuteAsync(_ =>
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
        await Assert.ThrowsAsync<RpcException>(async () => await EventStoreDbResilience.Reads().ExecuteAsync(_ =>
        {
            attempts++;
            throw new RpcException(new Status(StatusCode.Unavailable, "x"));
        }));
        Assert.Equal(EventStoreDbResilience.MaxRetryAttempts + 1, attempts);
    }
}
