using EventStore.EventStoreDb.Protocol;
using Grpc.Core;

namespace EventStore.EventStoreDb.Tests;

public sealed class ErrorMappingTests
{
    [Fact]
    public void A_wrong_expected_version_response_names_the_current_revision_or_no_stream()
    {
        var atThree = EventStoreDbErrors.WrongExpectedRevision("s", ExpectedRevision.Exact(1),
            new AppendResp.Types.WrongExpectedVersion { CurrentRevision = 3, ExpectedRevision = 1 });
        Assert.Equal(3, atThree.Actual);
        Assert.Equal(ExpectedRevision.Exact(1), atThree.Expected);
        var missing = EventStoreDbErrors.WrongExpectedRevision("s", ExpectedRevision.StreamExists,
            new AppendResp.Types.WrongExpectedVersion { CurrentNoStream = new Empty(), ExpectedStreamExists = new Empty() });
        Assert.Null(missing.Actual);
    }

    [Fact]
    public void A_wrong_expected_version_trailer_becomes_the_ports_conflict()
    {
        var e = new RpcException(new Status(StatusCode.FailedPrecondition, "WrongExpectedVersion"),
            new Metadata { { "exception", "wrong-expected-version" }, { "actual-version", "4" }, { "expected-version", "2" } });
        Assert.True(EventStoreDbErrors.IsWrongExpectedVersion(e));
        Assert.Equal(4, EventStoreDbErrors.WrongExpectedRevision("s", ExpectedRevision.Exact(2), e).Actual);
        var noStream = new RpcException(new Status(StatusCode.FailedPrecondition, "x"),
            new Metadata { { "exception", "wrong-expected-version" }, { "actual-version", "-1" } });
        Assert.Null(EventStoreDbErrors.WrongExpectedRevision("s", ExpectedRevision.Exact(2), noStream).Actual);
    }

    [Fact]
    public void Stream_not_found_is_recognised_by_its_trailer_only()
    {
        Assert.True(EventStoreDbErrors.IsStreamNotFound(new RpcException(new Status(StatusCode.NotFound, "x"),
            new Metadata { { "exception", "stream-not-found" } })));
        Assert.False(EventStoreDbErrors.IsStreamNotFound(new RpcException(new Status(StatusCode.NotFound, "Leader info available"),
            new Metadata { { "exception", "not-leader" } })));
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, true, true)]
    [InlineData(StatusCode.Internal, false, true)]
    [InlineData(StatusCode.Aborted, false, true)]
    [InlineData(StatusCode.DeadlineExceeded, false, true)]
    [InlineData(StatusCode.PermissionDenied, false, false)]
    [InlineData(StatusCode.InvalidArgument, false, false)]
    [InlineData(StatusCode.Cancelled, false, false)]
    public void Which_failures_are_transient_and_which_drop_a_subscription(StatusCode code, bool transient, bool resubscribe)
    {
        var e = new RpcException(new Status(code, "x"));
        Assert.Equal(transient, EventStoreDbErrors.IsTransient(e));
        Assert.Equal(resubscribe, EventStoreDbErrors.IsDroppedSubscription(e));
    }
}
