using EventStore.EventStoreDb.Protocol;
using Grpc.Core;

namespace EventStore.EventStoreDb;

/// <summary>One <c>Streams.Append</c> call: the proposed events streamed to the node, then its answer.</summary>
internal static class AppendCall
{
    /// <summary>
    /// Sends <paramref name="messages"/> and returns the node's answer. A node that ends the call while the events are
    /// still being written (not the leader, shutting down) makes the write fail with a bare cancellation; its status,
    /// which says why, comes with the response, so that is what the caller sees and decides on.
    /// </summary>
    public static async Task<AppendResp> SendAsync(
        Streams.StreamsClient leader, Metadata headers, DateTime deadline, List<AppendReq> messages, CancellationToken cancellationToken)
    {
        using var call = leader.Append(headers, deadline, cancellationToken);
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message, cancellationToken);
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // The node's own status follows from ResponseAsync.
        }
        return await call.ResponseAsync;
    }
}
