using System.Text.Json;

namespace EventStore;

/// <summary>The stored form of <see cref="EventMetadata"/>: a small JSON object, the same in every adapter.</summary>
public static class EventMetadataJson
{
    public static byte[] Serialize(EventMetadata metadata)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(192);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata.CorrelationId is { } correlation)
            {
                writer.WriteString("correlationId", correlation);
            }
            if (metadata.CausationId is { } causation)
            {
                writer.WriteString("causationId", causation);
            }
            if (metadata.TraceParent is { } traceParent)
            {
                writer.WriteString("traceparent", traceParent);
            }
            if (metadata.TraceState is { } traceState)
            {
                writer.WriteString("tracestate", traceState);
            }
            writer.WriteString("timestamp", metadata.Timestamp);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static EventMetadata Deserialize(ReadOnlySpan<byte> json)
    {
        Guid? correlation = null, causation = null;
        string? traceParent = null, traceState = null;
        DateTimeOffset timestamp = default;
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }
            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }
            switch (name)
            {
                case "correlationId": correlation = reader.GetGuid(); break;
                case "causationId": causation = reader.GetGuid(); break;
                case "traceparent": traceParent = reader.GetString(); break;
                case "tracestate": traceState = reader.GetString(); break;
                case "timestamp": timestamp = reader.GetDateTimeOffset(); break;
                default: reader.Skip(); break;
            }
        }
        return new EventMetadata(correlation, causation, traceParent, traceState, timestamp);
    }
}
