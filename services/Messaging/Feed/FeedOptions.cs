using System.ComponentModel.DataAnnotations;

namespace Accounts.Messaging.Feed;

/// <summary>The <c>Feed</c> configuration section: where the command service's integration feed is, and when gaps are repaired from it.</summary>
public sealed class FeedOptions
{
    public const string SectionName = "Feed";

    /// <summary>The command service's base URL (<c>http://127.0.0.1:5081</c>); unset: no repair, a gap is only retried.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>In-process retries of a gap (the missing message may just be late) before it is repaired from the feed.</summary>
    [Range(0, 100)]
    public int RepairAfterRetries { get; set; } = 3;

    /// <summary>Time-out of one feed request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
