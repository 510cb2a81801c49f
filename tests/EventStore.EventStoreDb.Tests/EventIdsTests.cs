namespace EventStore.EventStoreDb.Tests;

public sealed class EventIdsTests
{
    [Fact]
    public void Ids_go_out_as_text_and_come_back()
    {
        var id = Guid.NewGuid();
        Assert.Equal(id.ToString(), EventIds.ToServer(id).String);
        Assert.Equal(id, EventIds.FromServer(EventIds.ToServer(id)));
    }

    [Fact]
    public void The_structured_form_is_the_two_big_endian_halves_of_the_canonical_uuid()
    {
        var id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        var halves = EventIds.ToHalves(id);
        Assert.Equal(0x0011223344556677L, halves.MostSignificantBits);
        Assert.Equal(unchecked((long)0x8899AABBCCDDEEFFUL), halves.LeastSignificantBits);
        Assert.Equal(id, EventIds.FromServer(new Protocol.UUID { Structured = halves }));
    }
}
