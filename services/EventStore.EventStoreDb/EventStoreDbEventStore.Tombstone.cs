using EventStore.EventStoreDb.Protocol;
using Grpc.Core;

namespace EventStore.EventStoreDb;

/// <summary>Hard deletion: a tombstoned stream can never be read or written again; a scavenge removes its events' bytes.</summary>
public sealed partial class EventStoreDbEventStore
{
    /// <summary>Tombstones <paramref name="stream"/> whatever its revision (idempotent: an already deleted stream stays so).</summary>
    public async Task TombstoneAsync(string stream, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        var request = new TombstoneReq
        {
            Options = new TombstoneReq.Types.Options { StreamIdentifier = StreamsRequests.Stream(stream), Any = new Empty() },
        };
        try
        {
            await _appends.ExecuteAsync(async token =>
            {
                try
                {
                    await (await _nodes.LeaderAsync(token)).TombstoneAsync(request, _nodes.LeaderHeaders, Deadline(), token);
                }
                catch (RpcException e)
                {
                    _nodes.ForgetIf(e); // a retry goes to the leader found anew
                    throw;
                }
            }, cancellationToken);
        }
        catch (RpcException e) when (EventStoreDbErrors.IsStreamDeleted(e))
        {
            // already tombstoned
        }
    }
}
