using System.ComponentModel.DataAnnotations;

namespace CommandService;

/// <summary>Settings of section <c>AccountCache</c>: how much of recently used accounts the command service keeps in memory.</summary>
public sealed class AccountCacheOptions
{
    public const string SectionName = "AccountCache";

    /// <summary>
    /// Entries kept at most (least recently used go first): an account's folded state and its data key are one entry
    /// each. 0 turns the cache off (every command reads its streams and keys). 10,000 (5,000 hot accounts) keeps the
    /// service near 200 MB; one that held every account of the bench (~17,000, all equally hot) took the command
    /// service's CPU per command down by a fifth and its RSS up by 20 MB (docs/consumer-services-cpu.md).
    /// </summary>
    [Range(0, 10_000_000)]
    public long MaxEntries { get; set; } = 10_000;
}
