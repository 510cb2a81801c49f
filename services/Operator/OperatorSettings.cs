using System.ComponentModel;
using Spectre.Console.Cli;

namespace Accounts.Operations;

/// <summary>
/// Where the system is: flags first, then environment variables, then the defaults: <c>make run</c>'s one process on 5080
/// when it answers, else <c>make run-local</c>'s three processes on 5081 to 5083; a broker on 5672.
/// </summary>
public class OperatorSettings : CommandSettings
{
    private static readonly string[] ConsumerQueues = ["query-users", "notification-users"];

    [CommandOption("--broker")]
    [Description("AMQP URL of the broker (env RABBITMQ_URL; default amqp://guest:guest@127.0.0.1:5672/)")]
    public string Broker { get; init; } = Environment.GetEnvironmentVariable("RABBITMQ_URL") is { Length: > 0 } url ? url : "amqp://guest:guest@127.0.0.1:5672/";

    [CommandOption("--prefix")]
    [Description("the system's Messaging:Prefix (env Messaging__Prefix)")]
    public string? Prefix { get; init; } = Environment.GetEnvironmentVariable("Messaging__Prefix");

    [CommandOption("--urls")]
    [Description("the command, query and notification services' base URLs, space-separated (env URLS); one URL: a single-process host")]
    public string? Urls { get; init; } = Environment.GetEnvironmentVariable("URLS") is { Length: > 0 } urls ? urls : null;

    private const string SingleProcess = "http://127.0.0.1:5080";
    private const string ThreeProcesses = "http://127.0.0.1:5081 http://127.0.0.1:5082 http://127.0.0.1:5083";

    [CommandOption("--token")]
    [Description("bearer token with the accounts.admin scope for the services' operator endpoints (env ACCOUNTS_TOKEN; make token prints one)")]
    public string? Token { get; init; } = Environment.GetEnvironmentVariable("ACCOUNTS_TOKEN");

    /// <summary>An HTTP client that sends <see cref="Token"/> when one is given.</summary>
    public HttpClient CreateHttpClient(TimeSpan timeout)
    {
        var http = new HttpClient { Timeout = timeout };
        if (!string.IsNullOrWhiteSpace(Token))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        }
        return http;
    }

    /// <summary>The error queues of the system's consumer endpoints (the kebab-case names of each service's UsersConsumer).</summary>
    public IReadOnlyList<string> ErrorQueues =>
        [.. ConsumerQueues.Select(queue => $"{(string.IsNullOrWhiteSpace(Prefix) ? "" : Prefix + "-")}{queue}_error")];

    public (Uri Command, Uri Query, Uri Notification) ServiceUrls
    {
        get
        {
            var urls = (Urls ?? (SingleProcessAnswers() ? SingleProcess : ThreeProcesses)).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(url => new Uri(url)).ToArray();
            return urls.Length == 1 ? (urls[0], urls[0], urls[0]) : (urls[0], urls[1], urls[2]);
        }
    }

    private static bool SingleProcessAnswers()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        try
        {
            return http.GetAsync(new Uri(SingleProcess + "/health/live")).GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
