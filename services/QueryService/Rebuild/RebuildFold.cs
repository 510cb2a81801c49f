using Accounts.Contracts;
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
    /// <summary>The users whose views the page needs from the store: those whose first message in it is not a registration.</summary>
    public static IReadOnlyCollection<Guid> UsersToLoad(IEnumerable<IUserMessage> page)
    {
        var seen = new HashSet<Guid>();
        var load = new List<Guid>();
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
    public static IReadOnlyCollection<UserProfile> Fold(IReadOnlyDictionary<Guid, UserProfile> known, IEnumerable<IUserMessage> page)
    {
        var changed = new Dictionary<Guid, UserProfile>();
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
