using System.Net;
using System.Net.Http.Json;
using Accounts.Contracts;
using Accounts.Contracts.Avro;
using Accounts.Messaging.Feed;

namespace QueryService.Tests;

/// <summary>
/// The command service's feed as the rebuild reads it (<c>feed?limit=N&amp;after=P</c>): the messages appended here, at
/// positions 1, 2, …, paged in log order with the head. <see cref="Hold"/> makes page requests after a position wait until
/// <see cref="Release"/>, so a test can act while a rebuild is mid-way.
/// </summary>
public sealed class FeedLog : HttpMessageHandler
{
    private readonly List<IUserMessage> _messages = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong? _holdAfter;

    public int Requests { get; private set; }

    public void Append(params IEnumerable<IUserMessage> messages)
    {
        lock (_lock)
        {
            _messages.AddRange(messages);
        }
    }

    /// <summary>Pages asked for after <paramref name="position"/> or later wait for <see cref="Release"/>.</summary>
    public void Hold(ulong position)
    {
        _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holdAfter = position;
    }

    public void Release() => _released.TrySetResult();

    /// <summary>True once a page after the held position was asked for (the rebuild is waiting there).</summary>
    public bool Waiting { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        var limit = int.Parse(query["limit"]!, null);
        var after = query["after"] is { } text ? ulong.Parse(text, null) : 0UL;
        if (_holdAfter is { } held && after >= held)
        {
            Waiting = true;
            await _released.Task.WaitAsync(cancellationToken);
        }
        FeedPage page;
        lock (_lock)
        {
            Requests++;
            var items = _messages.Select((m, i) => (Message: m, Position: (ulong)i + 1)).Where(m => m.Position > after).Take(limit)
                .Select(m => new FeedItem(m.Position, Guid.NewGuid(), m.Message.GetType().Name, m.Message.UserId, m.Message.Version,
                    AvroSingleObjectCodec.Latest.Encode(m.Message)))
                .ToList();
            var head = _messages.Count == 0 ? (ulong?)null : (ulong)_messages.Count;
            page = new FeedPage(items, items.Count > 0 ? items[^1].Position : (after == 0 ? null : after), head);
        }
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(page, FeedJson.Default.FeedPage) };
    }
}
