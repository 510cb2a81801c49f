using EventStore.EventStoreDb.Protocol;
using Google.Protobuf.Reflection;

namespace EventStore.EventStoreDb.Tests;

/// <summary>
/// Every field the adapter sends or reads, checked against the published definitions (event_store.client.streams and
/// event_store.client in EventStoreDB 23.10 / KurrentDB src/Protos/Grpc/streams.proto and shared.proto): name, number,
/// type, and the package and service names that form the gRPC method paths.
/// </summary>
public sealed class PublishedFieldNumbersTests
{
    public static TheoryData<string, string, int, FieldType> Fields => new()
    {
        // event_store.client (shared.proto)
        { "event_store.client.UUID", "structured", 1, FieldType.Message },
        { "event_store.client.UUID", "string", 2, FieldType.String },
        { "event_store.client.UUID.Structured", "most_significant_bits", 1, FieldType.Int64 },
        { "event_store.client.UUID.Structured", "least_significant_bits", 2, FieldType.Int64 },
        { "event_store.client.StreamIdentifier", "stream_name", 3, FieldType.Bytes },
        // AppendReq
        { "event_store.client.streams.AppendReq", "options", 1, FieldType.Message },
        { "event_store.client.streams.AppendReq", "proposed_message", 2, FieldType.Message },
        { "event_store.client.streams.AppendReq.Options", "stream_identifier", 1, FieldType.Message },
        { "event_store.client.streams.AppendReq.Options", "revision", 2, FieldType.UInt64 },
        { "event_store.client.streams.AppendReq.Options", "no_stream", 3, FieldType.Message },
        { "event_store.client.streams.AppendReq.Options", "any", 4, FieldType.Message },
        { "event_store.client.streams.AppendReq.Options", "stream_exists", 5, FieldType.Message },
        { "event_store.client.streams.AppendReq.ProposedMessage", "id", 1, FieldType.Message },
        { "event_store.client.streams.AppendReq.ProposedMessage", "metadata", 2, FieldType.Message },
        { "event_store.client.streams.AppendReq.ProposedMessage", "custom_metadata", 3, FieldType.Bytes },
        { "event_store.client.streams.AppendReq.ProposedMessage", "data", 4, FieldType.Bytes },
        // AppendResp
        { "event_store.client.streams.AppendResp", "success", 1, FieldType.Message },
        { "event_store.client.streams.AppendResp", "wrong_expected_version", 2, FieldType.Message },
        { "event_store.client.streams.AppendResp.Position", "commit_position", 1, FieldType.UInt64 },
        { "event_store.client.streams.AppendResp.Position", "prepare_position", 2, FieldType.UInt64 },
        { "event_store.client.streams.AppendResp.Success", "current_revision", 1, FieldType.UInt64 },
        { "event_store.client.streams.AppendResp.Success", "no_stream", 2, FieldType.Message },
        { "event_store.client.streams.AppendResp.Success", "position", 3, FieldType.Message },
        { "event_store.client.streams.AppendResp.Success", "no_position", 4, FieldType.Message },
        { "event_store.client.streams.AppendResp.WrongExpectedVersion", "current_revision", 6, FieldType.UInt64 },
        { "event_store.client.streams.AppendResp.WrongExpectedVersion", "current_no_stream", 7, FieldType.Message },
        { "event_store.client.streams.AppendResp.WrongExpectedVersion", "expected_revision", 8, FieldType.UInt64 },
        { "event_store.client.streams.AppendResp.WrongExpectedVersion", "expected_any", 9, FieldType.Message },
        { "event_store.client.streams.AppendResp.WrongExpectedVersion", "expected_stream_exists", 10, FieldType.Message },
        { "event_store.client.streams.AppendResp.WrongExpectedVersion", "expected_no_stream", 11, FieldType.Message },
        // ReadReq
        { "event_store.client.streams.ReadReq", "options", 1, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options", "stream", 1, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options", "all", 2, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options", "read_direction", 3, FieldType.Enum },
        { "event_store.client.streams.ReadReq.Options", "resolve_links", 4, FieldType.Bool },
        { "event_store.client.streams.ReadReq.Options", "count", 5, FieldType.UInt64 },
        { "event_store.client.streams.ReadReq.Options", "subscription", 6, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options", "filter", 7, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options", "no_filter", 8, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options", "uuid_option", 9, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.StreamOptions", "stream_identifier", 1, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.StreamOptions", "revision", 2, FieldType.UInt64 },
        { "event_store.client.streams.ReadReq.Options.StreamOptions", "start", 3, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.StreamOptions", "end", 4, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.AllOptions", "position", 1, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.AllOptions", "start", 2, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.AllOptions", "end", 3, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.Position", "commit_position", 1, FieldType.UInt64 },
        { "event_store.client.streams.ReadReq.Options.Position", "prepare_position", 2, FieldType.UInt64 },
        { "event_store.client.streams.ReadReq.Options.FilterOptions", "stream_identifier", 1, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.FilterOptions", "event_type", 2, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.FilterOptions", "max", 3, FieldType.UInt32 },
        { "event_store.client.streams.ReadReq.Options.FilterOptions", "count", 4, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.FilterOptions", "checkpointIntervalMultiplier", 5, FieldType.UInt32 },
        { "event_store.client.streams.ReadReq.Options.FilterOptions.Expression", "regex", 1, FieldType.String },
        { "event_store.client.streams.ReadReq.Options.FilterOptions.Expression", "prefix", 2, FieldType.String },
        { "event_store.client.streams.ReadReq.Options.UUIDOption", "structured", 1, FieldType.Message },
        { "event_store.client.streams.ReadReq.Options.UUIDOption", "string", 2, FieldType.Message },
        // ReadResp
        { "event_store.client.streams.ReadResp", "event", 1, FieldType.Message },
        { "event_store.client.streams.ReadResp", "confirmation", 2, FieldType.Message },
        { "event_store.client.streams.ReadResp", "checkpoint", 3, FieldType.Message },
        { "event_store.client.streams.ReadResp", "stream_not_found", 4, FieldType.Message },
        { "event_store.client.streams.ReadResp.ReadEvent", "event", 1, FieldType.Message },
        { "event_store.client.streams.ReadResp.ReadEvent", "link", 2, FieldType.Message },
        { "event_store.client.streams.ReadResp.ReadEvent", "commit_position", 3, FieldType.UInt64 },
        { "event_store.client.streams.ReadResp.ReadEvent", "no_position", 4, FieldType.Message },
        { "event_store.client.streams.ReadResp.ReadEvent.RecordedEvent", "id", 1, FieldType.Message },
        { "event_store.client.streams.ReadResp.ReadEvent.RecordedEvent", "stream_identifier", 2, FieldType.Message },
        { "event_store.client.streams.ReadResp.ReadEvent.RecordedEvent", "stream_revision", 3, FieldType.UInt64 },
        { "event_store.client.streams.ReadResp.ReadEvent.RecordedEvent", "prepare_position", 4, FieldType.UInt64 },
        { "event_store.client.streams.ReadResp.ReadEvent.RecordedEvent", "commit_position", 5, FieldType.UInt64 },
        { "event_store.client.streams.ReadResp.ReadEvent.RecordedEvent", "metadata", 6, FieldType.Message },
        { "event_store.client.streams.ReadResp.ReadEvent.RecordedEvent", "custom_metadata", 7, FieldType.Bytes },
        { "event_store.client.streams.ReadResp.ReadEvent.RecordedEvent", "data", 8, FieldType.Bytes },
        { "event_store.client.streams.ReadResp.SubscriptionConfirmation", "subscription_id", 1, FieldType.String },
        { "event_store.client.streams.ReadResp.Checkpoint", "commit_position", 1, FieldType.UInt64 },
        { "event_store.client.streams.ReadResp.Checkpoint", "prepare_position", 2, FieldType.UInt64 },
        { "event_store.client.streams.ReadResp.StreamNotFound", "stream_identifier", 1, FieldType.Message },
    };

    private static readonly IReadOnlyList<FileDescriptor> Files = [SharedReflection.Descriptor, StreamsReflection.Descriptor];

    [Theory]
    [MemberData(nameof(Fields))]
    public void Each_field_used_has_the_published_number_and_type(string message, string field, int number, FieldType type)
    {
        var descriptor = Files.SelectMany(f => AllMessages(f.MessageTypes)).Single(d => d.FullName == message);
        var found = descriptor.FindFieldByName(field);
        Assert.NotNull(found);
        Assert.Equal(number, found.FieldNumber);
        Assert.Equal(type, found.FieldType);
    }

    private static IEnumerable<MessageDescriptor> AllMessages(IEnumerable<MessageDescriptor> messages) =>
        messages.SelectMany(m => AllMessages(m.NestedTypes).Prepend(m));

    [Fact]
    public void Packages_and_the_service_form_the_servers_method_paths()
    {
        Assert.Equal("event_store.client", SharedReflection.Descriptor.Package);
        Assert.Equal("event_store.client.streams", StreamsReflection.Descriptor.Package);
        var service = StreamsReflection.Descriptor.Services.Single();
        Assert.Equal("event_store.client.streams.Streams", service.FullName);
        var append = service.FindMethodByName("Append");
        Assert.True(append.IsClientStreaming);
        Assert.False(append.IsServerStreaming);
        var read = service.FindMethodByName("Read");
        Assert.False(read.IsClientStreaming);
        Assert.True(read.IsServerStreaming);
    }

    [Fact]
    public void Read_directions_have_the_published_values()
    {
        var direction = ReadReq.Types.Options.Descriptor.EnumTypes.Single(e => e.Name == "ReadDirection");
        Assert.Equal(0, direction.FindValueByName("Forwards").Number);
        Assert.Equal(1, direction.FindValueByName("Backwards").Number);
    }

    [Fact]
    public void Metadata_maps_are_string_to_string()
    {
        var proposed = AppendReq.Types.ProposedMessage.Descriptor.FindFieldByName("metadata");
        Assert.True(proposed.IsMap);
        Assert.All(proposed.MessageType.Fields.InFieldNumberOrder(), f => Assert.Equal(FieldType.String, f.FieldType));
        Assert.True(ReadResp.Types.ReadEvent.Types.RecordedEvent.Descriptor.FindFieldByName("metadata").IsMap);
    }
}
