using Accounts.Contracts;
using Accounts.Messaging.Feed;
using QueryService.Projection;
using QueryService.Views;

namespace QueryService.Rebuild;

/// <summary>
/// The pure fold a rebuild applies to a page of the feed: the live consumer's evolution (<see cref="UserProfileEvolution"/>)
/// under the live consumer's version rule, over what the generation being built already holds. A version at or below the
/// view's is a duplicate (a page repeated after a crash); a gap cannot happen in log order and fails the rebuild.
/// </summary>
public static class RebuildFold
{
    /// <summary>
    /// Messages a rebuild looks up, folds and writes together. A batch's set, list and dictionaries of users, sized for
    /// it up front, stay below the large object heap's 85,000 bytes at 2,500; whole pages of 5,000 made several such
    /// objects per page, which only gen2 collections reclaim, and the heap held up to 11 MB of them (the query service's
    /// working set during rebuilds: 206 MB, now 193 MB). Smaller batches would write the same pages in more transactions.
    /// </summary>
    public const int BatchSize = 2_500;

    /// <summary>
    /// A feed page in batches of <see cref="BatchSize"/>, each with the position to store once it is written: its last
    /// message's, and for the last batch the position the page <paramref name="reached"/> (past messages of other streams).
    /// A page without user messages is one empty batch, so the position still advances.
    /// </summary>
    public static IEnumerable<(IReadOnlyList<IUserMessage> Messages, ulong Position)> Batches(IReadOnlyList<FeedMessage> page, ulong reached)
    {
        for (var start = 0; start < page.Count || start == 0; start += BatchSize)
        {
            var end = Math.Min(start + BatchSize, page.Count);
            var messages = page.Take(new Range(start, end)).Select(m => m.Message).ToList();
            yield return (messages, end == page.Count ? reached : page[end - 1].Position);
        }
    }

    /// <summary>The users whose views the page needs from the store: those whose first message in it is not a registration.</summary>
    public static IReadOnlyCollection<Guid> UsersToLoad(IReadOnlyCollection<IUserMessage> page)
    {
        var seen = new HashSet<Guid>(page.Count);
        var load = new List<Guid>(page.Count);
        foreach (var message in page)
        {
            if (seen.Add(message.UserId) && message.Version > 1)
            {
                load.Add(message.UserId);
            }
        }
        return load;
    }

    /// <summary>The views the page changes, each as it is after the page's last message about that user.</summary>
    public static IReadOnlyCollection<UserProfile> Fold(IReadOnlyDictionary<Guid, UserProfile> known, IReadOnlyCollection<IUserMessage> page)
    {
        var changed = new Dictionary<Guid, UserProfile>(page.Count);
        foreach (var message in page)
        {
            var current = changed.TryGetValue(message.UserId, out var folded) ? folded : known.GetValueOrDefault(message.UserId);
            var stored = current?.Version ?? 0;
            if (message.Version <= stored)
            {
                continue;
            }
            if (message.Version > stored + 1)
            {
                throw new MessageOutOfOrderException(message, stored);
            }
            changed[message.UserId] = UserProfileEvolution.Evolve(current, message);
        }
        return changed.Values;
    }
}
