using System.ComponentModel.DataAnnotations;

namespace CommandService;

/// <summary>Settings of section <c>EventStore</c>. EventStoreDB itself is the connection string named <c>eventstore</c>.</summary>
public sealed class EventStoreOptions
{
    public const string SectionName = "EventStore";

    /// <summary>The embedded event store's file, used when no connection string named <c>eventstore</c> is given.</summary>
    [Required]
    public string SqlitePath { get; set; } = Path.Combine("data", "command", "events.db");

    /// <summary>
    /// The embedded key store's file (the accounts' data keys), apart from the events; default: keys.db next to
    /// <see cref="SqlitePath"/>. With EventStoreDB the keys live there, one stream per account, hard-deleted on erasure.
    /// </summary>
    public string? KeySqlitePath { get; set; }

    public string KeyStorePath() => KeySqlitePath is { Length: > 0 } path ? path : Path.Combine(Path.GetDirectoryName(SqlitePath) ?? "", "keys.db");
}
