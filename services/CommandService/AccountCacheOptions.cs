using System.ComponentModel.DataAnnotations;

namespace CommandService;

/// <summary>Settings of section <c>AccountCache</c>: how much of recently used accounts the command service keeps in memory.</summary>
public sealed class AccountCacheOptions
{
    public const string SectionName = "AccountCache";

    /// <summary>
    /// Entries kept at most (least recently used go first): an account's folded state, its data key and an address's
    /// reservation state are one entry each. 0 turns the cache off (every command reads its streams and keys).
    /// </summary>
    [Range(0, 10_000_000)]
    public long MaxEntries { get; set; } = 30_000;
}
