using Accounts.Contracts;
using Accounts.Contracts.Avro;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Accounts.Messaging.Feed;

/// <summary>
/// Applies a message through a consumer's version gate and, when it still finds a gap after a few quick retries (the
/// missing message may just be late), fetches the missing versions of that account from the command service's feed and
/// applies them in order through the same gate before it. The feed's message ids are the relay's, so whatever a consumer
/// derives from them (notification ids) is the same as for the live messages: applied once. A gap the feed cannot fill
/// throws <see cref="GapNotRepairedException"/>: retried like any failure, then the <c>_error</c> queue with that reason.
/// </summary>
public sealed class GapRepair(IHttpClientFactory http, AvroSingleObjectCodec codec, IOptions<FeedOptions> options, ILogger<GapRepair> logger)
{
    /// <summary>Applies one message (or, on a lasting gap, the missing ones first).</summary>
    /// <param name="message">The message consumed.</param>
    /// <param name="messageId">Its transport message id.</param>
    /// <param name="retryAttempt">Which retry this is (MassTransit's <c>GetRetryAttempt()</c>; 0 the first delivery).</param>
    /// <param name="apply">The consumer's apply through its version gate.</param>
    /// <param name="cancellationToken">Cancels the apply and the feed requests.</param>
    public async Task ApplyAsync(
        IUserMessage message, Guid messageId, int retryAttempt, Func<IUserMessage, Guid, CancellationToken, Task> apply, CancellationToken cancellationToken)
    {
        try
        {
            await apply(message, messageId, cancellationToken);
        }
        catch (MessageOutOfOrderException gap) when (options.Value.BaseUrl is not null && retryAttempt >= options.Value.RepairAfterRetries)
        {
            var missing = await ReadMissingAsync(gap, message, cancellationToken);
            logger.LogInformation("Repairing v{From} to v{To} of user {UserId} from the feed", gap.StoredVersion + 1, message.Version - 1, message.UserId);
            foreach (var repaired in missing)
            {
                await apply(repaired.Message, repaired.MessageId, cancellationToken);
            }
            await apply(message, messageId, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<FeedMessage>> ReadMissingAsync(MessageOutOfOrderException gap, IUserMessage message, CancellationToken cancellationToken)
    {
        var feed = new FeedClient(http.CreateClient(FeedClient.Name), codec);
        var missing = (await feed.ReadUserAsync(gap.UserId, gap.StoredVersion + 1, cancellationToken))
            .Where(item => item.Message.Version < message.Version).ToList();
        var expected = Enumerable.Range(0, (int)(message.Version - gap.StoredVersion - 1)).Select(i => gap.StoredVersion + 1 + i);
        return missing.Select(item => item.Message.Version).SequenceEqual(expected)
            ? missing
            : throw new GapNotRepairedException(message, gap.StoredVersion, missing.Count == 0 ? null : missing[^1].Message.Version);
    }
}

/// <summary>The feed does not hold the versions a gap misses (the account's stream ends earlier, or another service's store differs).</summary>
public sealed class GapNotRepairedException(IUserMessage message, long storedVersion, long? feedLast)
    : Exception($"{message.GetType().Name} v{message.Version} of user {message.UserId} arrived before v{storedVersion + 1}, and the feed cannot fill the gap: " +
        (feedLast is { } last ? $"it holds this account's versions {storedVersion + 1} to {last} only." : $"it holds no version from v{storedVersion + 1} on."));
