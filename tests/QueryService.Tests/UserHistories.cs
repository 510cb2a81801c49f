using Accounts.Contracts;

namespace QueryService.Tests;

/// <summary>The six-message life of one account that the broker tests publish, and the retries such deep shuffles need.</summary>
internal static class UserHistories
{
    public static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    public static IUserMessage[] Of(Guid id) =>
    [
        new UserRegistered(id, 1, At, $"{id:N}@example.com", "Ada"),
        new UserEmailChanged(id, 2, At.AddSeconds(1), $"{id:N}@example.com", $"{id:N}@lovelace.org"),
        new UserRenamed(id, 3, At.AddSeconds(2), "Countess Ada"),
        new UserDeactivated(id, 4, At.AddSeconds(3), "moved on"),
        new UserReactivated(id, 5, At.AddSeconds(4)),
        new UserRenamed(id, 6, At.AddSeconds(5), $"Ada {id:N}"),
    ];

    /// <summary>
    /// Frequent short retries: a deep shuffle makes chains of gaps (v6 waits for v5, which waits for v4, ...), and each link
    /// is retried on its own schedule, so sparse long intervals could exhaust v6's attempts before v5 lands.
    /// </summary>
    public static QueryApi WithShortRetries(this QueryApi api, int count)
    {
        string[] retries = ["00:00:00.05", "00:00:00.1", .. Enumerable.Repeat("00:00:00.25", count)];
        for (var i = 0; i < retries.Length; i++)
        {
            api.Settings[$"Messaging:RetryIntervals:{i}"] = retries[i];
        }
        return api;
    }
}
