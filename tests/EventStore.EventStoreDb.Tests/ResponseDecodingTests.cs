using Google.Protobuf;
using EventStore.EventStoreDb.Protocol;

namespace EventStore.EventStoreDb.Tests;

/// <summary>Server answers, written as bytes from the published definition, decode as the adapter expects.</summary>
public sealed class ResponseDecodingTests
{
    [Fact]
    public void An_append_success_carries_revision_and_position()
    {
        // success(1){ current_revision(1)=4, position(3){ commit(1)=100, prepare(2)=100 } }
        var response = AppendResp.Parser.ParseFrom(Convert.FromHexString("0A08" + "0804" + "1A04" + "0864" + "1064"));
        Assert.Equal(4UL, response.Success.CurrentRevision);
        Assert.Equal(100UL, GlobalPosition.FromAppend(response.Success.Position));
    }

    [Fact]
    public void A_wrong_expected_version_is_read_from_the_current_fields_and_old_fields_are_ignored()
    {
        // wrong_expected_version(2){ current_revision_20_6_0(1)=3, current_revision(6)=3, expected_no_stream(11) }
        var response = AppendResp.Parser.ParseFrom(Convert.FromHexString("1206" + "0803" + "3003" + "5A00"));
        Assert.Equal(AppendResp.ResultOneofCase.WrongExpectedVersion, response.ResultCase);
        var conflict = EventStoreDbErrors.WrongExpectedRevision("s", ExpectedRevision.NoStream, response.WrongExpectedVersion);
        Assert.Equal(3, conflict.Actual);
        Assert.Equal("s", conflict.Stream);
    }

    [Fact]
    public void A_checkpoint_and_a_stream_not_found_decode_and_unknown_cases_are_skipped()
    {
        var checkpoint = ReadResp.Parser.ParseFrom(Convert.FromHexString("1A04082A102A"));
        Assert.Equal(42UL, GlobalPosition.FromCheckpoint(checkpoint.Checkpoint));
        var notFound = ReadResp.Parser.ParseFrom(Convert.FromHexString("2205" + "0A03" + "1A0173"));
        Assert.Equal("s", notFound.StreamNotFound.StreamIdentifier.StreamName.ToStringUtf8());
        // caught_up(8) exists on 23.10+ servers but not in this subset: it decodes to no known case.
        Assert.Equal(ReadResp.ContentOneofCase.None, ReadResp.Parser.ParseFrom(Convert.FromHexString("4200")).ContentCase);
    }

    [Fact]
    public void A_read_event_becomes_a_stored_event()
    {
        var id = Guid.NewGuid();
        var metadata = new EventMetadata(Guid.NewGuid(), Guid.NewGuid(), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "k=v",
            new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var read = new ReadResp.Types.ReadEvent
        {
            Event = new ReadResp.Types.ReadEvent.Types.RecordedEvent
            {
                Id = EventIds.ToServer(id),
                StreamIdentifier = StreamsRequests.Stream("user-1"),
                StreamRevision = 2,
                CommitPosition = 900,
                PreparePosition = 900,
                Metadata = { ["type"] = "Renamed", ["content-type"] = "application/json", ["created"] = "638712345678901234" },
                Data = Google.Protobuf.ByteString.CopyFromUtf8("{}"),
                CustomMetadata = Google.Protobuf.ByteString.CopyFrom(EventMetadataJson.Serialize(metadata)),
            },
            NoPosition = new Empty(),
        };
        var stored = RecordedEvents.ToStored(ReadResp.Parser.ParseFrom(new ReadResp { Event = read }.ToByteArray()).Event);
        Assert.Equal(("user-1", 2L, 900UL, id, "Renamed"), (stored.Stream, stored.Revision, stored.Position, stored.EventId, stored.EventType));
        Assert.Equal(metadata, stored.Metadata);
        Assert.False(RecordedEvents.IsSystem(read));
        read.Event.Metadata["type"] = "$metadata";
        Assert.True(RecordedEvents.IsSystem(read));
    }
}
