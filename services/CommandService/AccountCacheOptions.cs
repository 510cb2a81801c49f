using System.ComponentModel.DataAnnotations;

namespace CommandService;

/// <summary>Settings of section <c>AccountCache</c>: how much of recently used accounts the command service keeps in memory.</summary>
public sealed class AccountCacheOptions
{
    public const string SectionName = "AccountCache";

    /// <summary>
    /// Entries kept at most (least recently used go first): an account's folded state, its data key and an address's
    /// reservation state are one entry each. 0 turns the cache off (every command reads its streams and keys). 10,000
    /// (a few thousand hot accounts) keeps the service under 200 MB; 30,000 took it to 210-226 MB under the bench, whose
    /// ten thousand accounts are all hot, for no CPU difference above the noise.
    /// </summary>
    [Range(0, 10_000_000)]
    public long MaxEntries { get; set; } = 10_000;
}
