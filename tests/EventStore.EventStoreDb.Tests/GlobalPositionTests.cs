using EventStore.EventStoreDb.Protocol;

namespace EventStore.EventStoreDb.Tests;

public sealed class GlobalPositionTests
{
    [Fact]
    public void A_port_position_goes_to_the_server_as_equal_commit_and_prepare_positions()
    {
        var position = GlobalPosition.ToServer(123_456);
        Assert.Equal((123_456UL, 123_456UL), (position.CommitPosition, position.PreparePosition));
    }

    [Fact]
    public void An_append_result_takes_the_commit_position()
    {
        Assert.Equal(500UL, GlobalPosition.FromAppend(new AppendResp.Types.Position { CommitPosition = 500, PreparePosition = 300 }));
    }

    [Fact]
    public void A_read_event_prefers_its_position_in_all_then_its_own_commit_position()
    {
        var recorded = new ReadResp.Types.ReadEvent.Types.RecordedEvent { CommitPosition = 77, PreparePosition = 77 };
        Assert.Equal(88UL, GlobalPosition.Of(new ReadResp.Types.ReadEvent { Event = recorded, CommitPosition = 88 }));
        Assert.Equal(77UL, GlobalPosition.Of(new ReadResp.Types.ReadEvent { Event = recorded, NoPosition = new Empty() }));
    }

    [Fact]
    public void A_read_event_without_any_position_is_an_error_not_a_zero()
    {
        var recorded = new ReadResp.Types.ReadEvent.Types.RecordedEvent { CommitPosition = ulong.MaxValue, PreparePosition = ulong.MaxValue };
        Assert.Throws<InvalidOperationException>(() => GlobalPosition.Of(new ReadResp.Types.ReadEvent { Event = recorded, NoPosition = new Empty() }));
    }
}
