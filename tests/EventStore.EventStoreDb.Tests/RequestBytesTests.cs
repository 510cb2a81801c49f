using EventStore.EventStoreDb.Protocol;
using Google.Protobuf;

namespace EventStore.EventStoreDb.Tests;

/// <summary>
/// The exact bytes of requests the adapter builds, worked out by hand from the published field numbers and protobuf's
/// encoding (tag = number &lt;&lt; 3 | wire type), and every request round-tripped through Google.Protobuf.
/// </summary>
public sealed class RequestBytesTests
{
    // StreamIdentifier { stream_name(3) = "s" } = 1A 01 73
    private const string StreamS = "1A0173";

    [Theory]
    [InlineData("no stream", "0A070A03" + StreamS + "1A00")]
    [InlineData("any", "0A070A03" + StreamS + "2200")]
    [InlineData("stream exists", "0A070A03" + StreamS + "2A00")]
    [InlineData("exact 5", "0A070A03" + StreamS + "1005")]
    public void Append_options_carry_the_stream_and_expected_revision(string expected, string hex)
    {
        var revision = expected switch
        {
            "no stream" => ExpectedRevision.NoStream,
            "any" => ExpectedRevision.Any,
            "stream exists" => ExpectedRevision.StreamExists,
            _ => ExpectedRevision.Exact(5),
        };
        var request = StreamsRequests.AppendOptions("s", revision);
        Assert.Equal(hex, Convert.ToHexString(request.ToByteArray()));
        Assert.Equal(request, AppendReq.Parser.ParseFrom(request.ToByteArray()));
    }

    [Fact]
    public void Expected_revisions_map_to_the_matching_oneof_case()
    {
        Assert.Equal(AppendReq.Types.Options.ExpectedStreamRevisionOneofCase.NoStream,
            StreamsRequests.AppendOptions("s", ExpectedRevision.NoStream).Options.ExpectedStreamRevisionCase);
        Assert.Equal(AppendReq.Types.Options.ExpectedStreamRevisionOneofCase.Any,
            StreamsRequests.AppendOptions("s", ExpectedRevision.Any).Options.ExpectedStreamRevisionCase);
        Assert.Equal(AppendReq.Types.Options.ExpectedStreamRevisionOneofCase.StreamExists,
            StreamsRequests.AppendOptions("s", ExpectedRevision.StreamExists).Options.ExpectedStreamRevisionCase);
        var exact = StreamsRequests.AppendOptions("s", ExpectedRevision.Exact(0)).Options;
        Assert.Equal(AppendReq.Types.Options.ExpectedStreamRevisionOneofCase.Revision, exact.ExpectedStreamRevisionCase);
        Assert.Equal(0UL, exact.Revision);
    }

    [Fact]
    public void A_proposed_message_carries_id_type_content_type_data_and_the_metadata_json()
    {
        var id = Guid.Parse("0196a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        var metadata = new EventMetadata(Guid.NewGuid(), null, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null,
            new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var request = StreamsRequests.ProposedMessage(new EventData(id, "UserRegistered", "{\"a\":1}"u8.ToArray(), metadata));

        var message = AppendReq.Parser.ParseFrom(request.ToByteArray()).ProposedMessage;
        Assert.Equal(id.ToString(), message.Id.String);
        Assert.Equal("UserRegistered", message.Metadata["type"]);
        Assert.Equal("application/json", message.Metadata["content-type"]);
        Assert.Equal(2, message.Metadata.Count);
        Assert.Equal("{\"a\":1}", message.Data.ToStringUtf8());
        Assert.Equal(EventMetadataJson.Serialize(metadata), message.CustomMetadata.ToByteArray());

        // AppendReq.proposed_message is field 2 (tag 0x12); inside it id is field 1 (0x0A) holding UUID.string (field 2, 0x12).
        var bytes = request.ToByteArray();
        Assert.Equal(0x12, bytes[0]);
        var inner = message.ToByteArray();
        Assert.Equal([0x0A, 38, 0x12, 36], inner[..4]);
    }

    [Fact]
    public void Reading_a_stream_sends_stream_revision_count_no_filter_and_text_ids()
    {
        var request = StreamsRequests.ReadStream("s", 2, 3);
        // options(1){ stream(1){ id(1), revision(2)=2 }, count(5)=3, no_filter(8), uuid_option(9){ string(2) } }
        Assert.Equal("0A11" + "0A07" + "0A03" + StreamS + "1002" + "2803" + "4200" + "4A021200", Convert.ToHexString(request.ToByteArray()));
        Assert.Equal(request, ReadReq.Parser.ParseFrom(request.ToByteArray()));
    }

    [Fact]
    public void Reading_the_last_event_of_a_stream_reads_backwards_from_the_end()
    {
        var options = ReadReq.Parser.ParseFrom(StreamsRequests.ReadLastOfStream("s").ToByteArray()).Options;
        Assert.Equal(ReadReq.Types.Options.Types.StreamOptions.RevisionOptionOneofCase.End, options.Stream.RevisionOptionCase);
        Assert.Equal(ReadReq.Types.Options.Types.ReadDirection.Backwards, options.ReadDirection);
        Assert.Equal(1UL, options.Count);
        // read_direction(3) = Backwards(1) is encoded as 18 01.
        Assert.Contains("1801", Convert.ToHexString(StreamsRequests.ReadLastOfStream("s").ToByteArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_all_sends_the_position_twice_a_count_and_a_filter_hiding_system_events()
    {
        var request = StreamsRequests.ReadAll(7, 3);
        var options = ReadReq.Parser.ParseFrom(request.ToByteArray()).Options;
        Assert.Equal(7UL, options.All.Position.CommitPosition);
        Assert.Equal(7UL, options.All.Position.PreparePosition);
        Assert.Equal(3UL, options.Count);
        Assert.Equal(@"^[^\$]", options.Filter.EventType.Regex);
        Assert.Equal(ReadReq.Types.Options.Types.FilterOptions.WindowOneofCase.Count, options.Filter.WindowCase);
        Assert.Equal(request, ReadReq.Parser.ParseFrom(request.ToByteArray()));
        // all(2){ position(1){ commit(1)=7, prepare(2)=7 } } = 12 06 0A 04 08 07 10 07
        Assert.StartsWith("0A", Convert.ToHexString(request.ToByteArray()), StringComparison.Ordinal);
        Assert.Contains("12060A0408071007", Convert.ToHexString(request.ToByteArray()), StringComparison.Ordinal);

        var fromStart = StreamsRequests.ReadAll(null, 1).Options;
        Assert.Equal(ReadReq.Types.Options.Types.AllOptions.AllOptionOneofCase.Start, fromStart.All.AllOptionCase);
    }

    [Fact]
    public void Subscribing_to_all_with_a_prefix_sends_a_stream_prefix_filter_with_window_and_checkpoints()
    {
        var request = StreamsRequests.SubscribeToAll(7, "p");
        // options(1){ all(2){position 7/7}, subscription(6){}, filter(7){ stream_identifier(1){ prefix(2)="p" },
        //   max(3)=32, checkpointIntervalMultiplier(5)=1 }, uuid_option(9){ string(2) } }
        Assert.Equal("0A19" + "12060A0408071007" + "3200" + "3A09" + "0A03120170" + "1820" + "2801" + "4A021200",
            Convert.ToHexString(request.ToByteArray()));
        Assert.Equal(request, ReadReq.Parser.ParseFrom(request.ToByteArray()));
    }

    [Fact]
    public void Subscribing_to_all_without_a_prefix_filters_out_system_event_types_from_the_start()
    {
        var options = ReadReq.Parser.ParseFrom(StreamsRequests.SubscribeToAll(null, null).ToByteArray()).Options;
        Assert.Equal(ReadReq.Types.Options.Types.AllOptions.AllOptionOneofCase.Start, options.All.AllOptionCase);
        Assert.Equal(ReadReq.Types.Options.CountOptionOneofCase.Subscription, options.CountOptionCase);
        Assert.Equal(@"^[^\$]", options.Filter.EventType.Regex);
        Assert.Empty(options.Filter.EventType.Prefix);
        Assert.True(options.Filter.CheckpointIntervalMultiplier > 0); // the server rejects 0
    }

    [Fact]
    public void Checkpoint_metadata_and_events_are_json_with_the_published_system_names()
    {
        var metadata = StreamsRequests.ProposedMessage(Guid.NewGuid(), CheckpointStreams.MetadataEventType, CheckpointStreams.KeepOnlyTheLast);
        Assert.Equal("$metadata", metadata.ProposedMessage.Metadata["type"]);
        Assert.Equal("""{"$maxCount":1}""", metadata.ProposedMessage.Data.ToStringUtf8());
        Assert.True(metadata.ProposedMessage.CustomMetadata.IsEmpty);
        Assert.Equal("$$checkpoint-relay", CheckpointStreams.MetadataStreamOf("relay"));
        Assert.Equal(4242UL, CheckpointStreams.FromJson(System.Text.Encoding.UTF8.GetBytes(CheckpointStreams.ToJson(4242))));
    }
}
