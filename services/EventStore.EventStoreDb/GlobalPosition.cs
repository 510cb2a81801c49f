using EventStore.EventStoreDb.Protocol;

namespace EventStore.EventStoreDb;

/// <summary>
/// The port's single <see cref="ulong"/> position is EventStoreDB's <b>commit position</b>. Every append through the gRPC
/// API is an implicitly committed write, so each event's commit position is its own log position, equal to its prepare
/// position, unique and rising through the log, and the same whether the event is read from its stream or from $all. A
/// position handed back to the server is therefore (commit, prepare) = (p, p). Explicit multi-request transactions of the
/// retired TCP API (several events sharing one commit position) cannot be represented; nothing here writes them.
/// </summary>
public static class GlobalPosition
{
    /// <summary>What the server sends for "no position" (-1 on its side).</summary>
    private const ulong Unknown = ulong.MaxValue;

    public static ReadReq.Types.Options.Types.Position ToServer(ulong position) =>
        new() { CommitPosition = position, PreparePosition = position };

    public static ulong FromAppend(AppendResp.Types.Position position) => position.CommitPosition;

    public static ulong FromCheckpoint(ReadResp.Types.Checkpoint checkpoint) => checkpoint.CommitPosition;

    /// <summary>The position of a read event: its position in $all when the server sent one, else the recorded event's own.</summary>
    public static ulong Of(ReadResp.Types.ReadEvent read)
    {
        if (read.PositionCase == ReadResp.Types.ReadEvent.PositionOneofCase.CommitPosition && read.CommitPosition != Unknown)
        {
            return read.CommitPosition;
        }
        var recorded = read.Event;
        return recorded.CommitPosition != Unknown
            ? recorded.CommitPosition
            : throw new InvalidOperationException($"The server sent no log position for event {recorded.StreamRevision} of a stream.");
    }
}
