using System.ComponentModel.DataAnnotations;

namespace CommandService;

/// <summary>Settings of section <c>EventStore</c>. EventStoreDB itself is the connection string named <c>eventstore</c>.</summary>
public sealed class EventStoreOptions
{
    public const string SectionName = "EventStore";

    /// <summary>The embedded event store's file, used when no connection string named <c>eventstore</c> is given.</summary>
    [Required]
    public string SqlitePath { get; set; } = Path.Combine("data", "command", "events.db");
}
