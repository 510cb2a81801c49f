using System.Buffers.Binary;
using EventStore.EventStoreDb.Protocol;

namespace EventStore.EventStoreDb;

/// <summary>
/// Event ids on the wire. The adapter sends the text form and asks for the text form back; the structured form (two
/// big-endian 64-bit halves, as Java's UUID) is read too, in case a server answers with it.
/// </summary>
public static class EventIds
{
    public static UUID ToServer(Guid id) => new() { String = id.ToString("D") };

    public static Guid FromServer(UUID id) => id.ValueCase switch
    {
        UUID.ValueOneofCase.String => Guid.Parse(id.String),
        UUID.ValueOneofCase.Structured => FromHalves(id.Structured.MostSignificantBits, id.Structured.LeastSignificantBits),
        _ => throw new InvalidOperationException("The server sent an event without an id."),
    };

    public static Guid FromHalves(long mostSignificant, long leastSignificant)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, mostSignificant);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], leastSignificant);
        return new Guid(bytes, bigEndian: true);
    }

    public static UUID.Types.Structured ToHalves(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return new()
        {
            MostSignificantBits = BinaryPrimitives.ReadInt64BigEndian(bytes),
            LeastSignificantBits = BinaryPrimitives.ReadInt64BigEndian(bytes[8..]),
        };
    }
}
