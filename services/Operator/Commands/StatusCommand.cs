using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Operations.DeadLetters;
using RabbitMQ.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Accounts.Operations.Commands;

/// <summary><c>status</c>: each service's readiness, the integration feed's head, and the error queues' counts.</summary>
public sealed class StatusCommand : AsyncCommand<OperatorSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, OperatorSettings settings, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var (command, query, notification) = settings.ServiceUrls;
        var table = new Table().AddColumns("what", "state");
        foreach (var (name, url) in new[] { ("command service", command), ("query service", query), ("notification service", notification) })
        {
            table.AddRow(name, await ReadyAsync(http, new Uri(url, "health/ready"), cancellationToken));
        }
        table.AddRow("relay (published / log head)", await RelayAsync(http, new Uri(command, "feed/progress"), cancellationToken));
        try
        {
            await using var connection = await new ConnectionFactory { Uri = new Uri(settings.Broker) }.CreateConnectionAsync(cancellationToken);
            foreach (var queue in settings.ErrorQueues)
            {
                var count = await ErrorQueues.CountAsync(connection, queue, cancellationToken);
                table.AddRow(queue, count is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0 (not declared yet)");
            }
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            table.AddRow("error queues", $"broker unreachable at {new Uri(settings.Broker).Authority} (make run has none: it is in memory)");
        }
        AnsiConsole.Write(table);
        return 0;
    }

    private static ulong Position(JsonElement progress, string name) =>
        progress.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetUInt64() : 0;

    private static async Task<string> ReadyAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var response = await http.GetAsync(url, cancellationToken);
            return response.IsSuccessStatusCode ? "ready" : $"not ready ({(int)response.StatusCode})";
        }
        catch (HttpRequestException e)
        {
            return $"unreachable ({e.HttpRequestError})";
        }
    }

    private static async Task<string> RelayAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var progress = await http.GetFromJsonAsync<JsonElement>(url, cancellationToken);
            var (relayed, head) = (Position(progress, "relayed"), Position(progress, "head"));
            return $"{relayed} / {head} ({head - relayed} positions behind)";
        }
        catch (HttpRequestException e)
        {
            return $"unreachable ({e.HttpRequestError})";
        }
    }
}
