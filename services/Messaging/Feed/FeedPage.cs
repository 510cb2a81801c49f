using System.Text.Json;
using System.Text.Json.Serialization;

namespace Accounts.Messaging.Feed;

/// <summary>
/// One integration message of the command service's feed: the very bytes the relay publishes in a batch (Avro
/// single-object encoding, base64 in JSON) with the message id the relay puts beside them (the event id), its type and
/// what a reader needs without decoding (account, version, log position).
/// </summary>
public sealed record FeedItem(ulong Position, Guid MessageId, string MessageType, Guid UserId, long Version, byte[] Data);

/// <summary>
/// A page of the feed, oldest first. <paramref name="Next"/> is the position to ask for after (it advances past events that
/// are not account messages too); <paramref name="Head"/> is the last position of the log when the page was read, for progress.
/// </summary>
public sealed record FeedPage(IReadOnlyList<FeedItem> Items, ulong? Next, ulong? Head);

/// <summary>How far the log and the relay got: the head position, and the last position the relay published and had confirmed (its checkpoint).</summary>
public sealed record FeedProgress(ulong? Head, ulong? Relayed);

/// <summary>Source-generated JSON for the feed, written by the command service and read by <see cref="FeedClient"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FeedPage))]
[JsonSerializable(typeof(FeedProgress))]
public sealed partial class FeedJson : JsonSerializerContext;
