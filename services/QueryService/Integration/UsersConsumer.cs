using Accounts.Contracts;
using Accounts.Contracts.Avro;
using Accounts.Messaging;
using Accounts.Messaging.Feed;
using Microsoft.Extensions.Options;
using QueryService.Projection;

namespace QueryService.Integration;

/// <summary>
/// Feeds every user message to the projector. Its one queue (named by the kebab-case formatter: <c>query-users</c>) keeps a
/// user's messages in publish order, mostly, so gap retries stay rare; retries and partitioning are the shared messaging
/// set-up's, and a gap that outlives a few retries is filled from the command service's feed (<see cref="GapRepair"/>).
/// </summary>
public sealed class UsersConsumer(UserProfileProjector projector, GapRepair repair, AvroSingleObjectCodec codec, IOptions<MessagingOptions> options)
    : UserMessagesConsumer(repair, codec, options)
{
    protected override Task ApplyAsync(IUserMessage message, Guid messageId, CancellationToken cancellationToken) =>
        projector.ApplyAsync(message, messageId, cancellationToken);
}
