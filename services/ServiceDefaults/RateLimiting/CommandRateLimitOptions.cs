using System.ComponentModel.DataAnnotations;

namespace ServiceDefaults.RateLimiting;

/// <summary>
/// How many commands one caller may send (section <c>RateLimiting</c>): a fixed window per caller, the token's
/// <c>sub</c> (or client id), else the remote address. Beyond it: 429 with <c>Retry-After</c>.
/// </summary>
public sealed class CommandRateLimitOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Commands per caller per <see cref="Window"/>.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Commands that wait for the next window instead of being refused at once.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; }
}
