using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Accounts.Benchmark;

/// <summary>The outcome of one command: the HTTP status and, when accepted, the account's new version.</summary>
public readonly record struct CommandReply(int Status, long Version)
{
    public bool Accepted => Status is 200 or 201;
}

/// <summary>HTTP to the three services, one connection pool each, never through a proxy.</summary>
public sealed class SystemClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient command, query, notification;

    /// <param name="token">The bearer token every request carries (an all-scopes development token).</param>
    public SystemClient(Uri commandUrl, Uri queryUrl, Uri notificationUrl, string token)
    {
        command = Create(commandUrl, token);
        query = Create(queryUrl, token);
        notification = Create(notificationUrl, token);
    }

    public async Task<CommandReply> SendAsync(BenchCommand benchCommand, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, benchCommand.Path);
        if (benchCommand.Body is { } body)
        {
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = Json } };
        }
        try
        {
            using var response = await command.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new CommandReply((int)response.StatusCode, 0);
            }
            var json = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            using var document = JsonDocument.Parse(json);
            return new CommandReply((int)response.StatusCode, document.RootElement.GetProperty("version").GetInt64());
        }
        catch (HttpRequestException)
        {
            return new CommandReply(0, 0);
        }
    }

    /// <summary>One <c>GET /users/{id}?minVersion=N</c>: true once the view shows version N (the service waits up to 5 s), false on 409.</summary>
    public async Task<bool> WaitForVersionAsync(Guid userId, long version, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await query.GetAsync(
                new Uri($"/users/{userId}?minVersion={version.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative),
                HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            await Task.Delay(100, cancellationToken);
            return false;
        }
    }

    /// <summary>The version the query view shows now (0 when it does not know the user).</summary>
    public async Task<long> CurrentVersionAsync(Guid userId, CancellationToken cancellationToken)
    {
        using var response = await query.GetAsync(new Uri($"/users/{userId}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        return document.RootElement.GetProperty("version").GetInt64();
    }

    /// <summary>
    /// How many notifications the notification service recorded for a user (0 when it knows none). With
    /// <paramref name="atLeast"/> the service answers once that many are recorded (it waits up to 5 s), not at once.
    /// </summary>
    public async Task<int> NotificationCountAsync(Guid userId, int? atLeast, CancellationToken cancellationToken)
    {
        try
        {
            var query = atLeast is > 0 ? $"?minCount={atLeast.Value.ToString(CultureInfo.InvariantCulture)}" : "";
            using var response = await notification.GetAsync(new Uri($"/users/{userId}/notifications{query}", UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return 0;
            }
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            return CountItems(document.RootElement);
        }
        catch (HttpRequestException)
        {
            await Task.Delay(100, cancellationToken);
            return 0;
        }
    }

    // A bare array, or the first array property of an envelope such as { "items": [...] }.
    private static int CountItems(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root.GetArrayLength(),
        JsonValueKind.Object => root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array)
            .Select(p => p.Value.GetArrayLength()).FirstOrDefault(),
        _ => 0,
    };

    private static HttpClient Create(Uri baseAddress, string token) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    public void Dispose()
    {
        command.Dispose();
        query.Dispose();
        notification.Dispose();
    }
}
