using System.Globalization;
using System.Text.Json;

namespace EventStore.EventStoreDb;

/// <summary>
/// A checkpoint lives in stream <c>checkpoint-{name}</c>, one small JSON event per store, with stream metadata
/// <c>{"$maxCount":1}</c> so the server keeps only the last. Its event type starts with '$' so the log reads and
/// subscriptions, which skip system events, never hand a follower its own bookkeeping (a relay following everything would
/// otherwise see each checkpoint it stores as a new event).
/// </summary>
public static class CheckpointStreams
{
    public const string EventType = "$checkpoint";

    public const string MetadataEventType = "$metadata";

    public const string KeepOnlyTheLast = """{"$maxCount":1}""";

    public static string StreamOf(string name) => $"checkpoint-{name}";

    public static string MetadataStreamOf(string name) => $"$${StreamOf(name)}";

    public static string ToJson(ulong position) => string.Create(CultureInfo.InvariantCulture, $$"""{"position":{{position}}}""");

    public static ulong FromJson(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        return document.RootElement.GetProperty("position").GetUInt64();
    }
}
