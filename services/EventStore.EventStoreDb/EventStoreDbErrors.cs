using System.Globalization;
using EventStore.EventStoreDb.Protocol;
using Grpc.Core;

namespace EventStore.EventStoreDb;

/// <summary>
/// How the server's failures map onto the port. A conflict arrives as an <c>AppendResp.wrong_expected_version</c> (or,
/// from some server paths, as a FailedPrecondition whose <c>exception</c> trailer says <c>wrong-expected-version</c>);
/// a missing stream as a <c>stream_not_found</c> read response or a NotFound with <c>stream-not-found</c>.
/// </summary>
public static class EventStoreDbErrors
{
    private const string ExceptionKey = "exception";

    public static WrongExpectedRevisionException WrongExpectedRevision(
        string stream, ExpectedRevision expected, AppendResp.Types.WrongExpectedVersion wrong) =>
        new(stream, expected, wrong.CurrentRevisionOptionCase == AppendResp.Types.WrongExpectedVersion.CurrentRevisionOptionOneofCase.CurrentRevision
            ? checked((long)wrong.CurrentRevision)
            : null);

    public static bool IsWrongExpectedVersion(RpcException e) => ExceptionOf(e) == "wrong-expected-version";

    public static WrongExpectedRevisionException WrongExpectedRevision(string stream, ExpectedRevision expected, RpcException e) =>
        new(stream, expected,
            long.TryParse(e.Trailers.GetValue("actual-version"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual) && actual >= 0
                ? actual
                : null);

    public static bool IsStreamNotFound(RpcException e) => ExceptionOf(e) == "stream-not-found";

    /// <summary>The stream was tombstoned (hard-deleted): it can be neither read nor written again.</summary>
    public static bool IsStreamDeleted(RpcException e) => ExceptionOf(e) == "stream-deleted";

    /// <summary>A cluster node that does not lead refused a call that requires the leader (it wrote nothing).</summary>
    public static bool IsNotLeader(RpcException e) => ExceptionOf(e) == "not-leader";

    /// <summary>
    /// Failures worth another attempt: the server or the connection was briefly unavailable, or the node asked no longer
    /// leads (the cluster's nodes are discovered again before the next attempt, see <see cref="ClusterConnection"/>).
    /// </summary>
    public static bool IsTransient(RpcException e) => e.StatusCode == StatusCode.Unavailable || IsNotLeader(e);

    /// <summary>Failures after which a live subscription is re-established from the last position it saw.</summary>
    public static bool IsDroppedSubscription(RpcException e) => e.StatusCode is
        StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted
        or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted || IsNotLeader(e);

    private static string? ExceptionOf(RpcException e) => e.Trailers.GetValue(ExceptionKey);
}
