using System.Net.Http.Json;
using Accounts.Contracts;
using Accounts.Contracts.Avro;

namespace Accounts.Messaging.Feed;

/// <summary>A feed message decoded by this service's codec (its own reader schemas), with its transport message id.</summary>
public sealed record FeedMessage(IUserMessage Message, Guid MessageId, ulong Position);

/// <summary>Reads the command service's integration feed over HTTP (the named client <see cref="Name"/>) and decodes its Avro bytes.</summary>
public sealed class FeedClient(HttpClient http, AvroSingleObjectCodec codec)
{
    public const string Name = "feed";

    /// <summary>A page of the log after <paramref name="after"/> (null: from the start).</summary>
    public async Task<(IReadOnlyList<FeedMessage> Messages, ulong? Next, ulong? Head)> ReadAsync(ulong? after, int limit, CancellationToken cancellationToken)
    {
        var query = after is { } position ? $"feed?limit={limit}&after={position}" : $"feed?limit={limit}";
        var page = await GetAsync(query, cancellationToken);
        return (Decode(page), page.Next, page.Head);
    }

    /// <summary>One account's messages from <paramref name="fromVersion"/> on, oldest first.</summary>
    public async Task<IReadOnlyList<FeedMessage>> ReadUserAsync(Guid userId, long fromVersion, CancellationToken cancellationToken) =>
        Decode(await GetAsync($"feed/users/{userId}?fromVersion={fromVersion}", cancellationToken));

    private async Task<FeedPage> GetAsync(string path, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync(path, FeedJson.Default.FeedPage, cancellationToken)
        ?? throw new InvalidOperationException($"The feed answered {path} with nothing.");

    private List<FeedMessage> Decode(FeedPage page) =>
        [.. page.Items.Select(item => new FeedMessage((IUserMessage)codec.Decode(item.Data), item.MessageId, item.Position))];
}
