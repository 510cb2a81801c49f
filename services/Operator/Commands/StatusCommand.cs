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
        using var http = settings.CreateHttpClient(TimeSpan.FromSeconds(5));
        var (command, query, notification) = settings.ServiceUrls;
        var table = new Table().AddColumns("what", "state");
        foreach (var (name, url) in new[] { ("command service", command), ("query service", query), ("notification service", notification) })
        {
            table.AddRow(name, await ReadyAsync(http, new Uri(url, "health/ready"), cancellationToken));
        }
        table.AddRow("relay (published / log head)", await RelayAsync(http, new Uri(command, "feed/progress"), cancellationToken));
        var (projection, rebuild) = await QueryProgressAsync(http, new Uri(query, "admin/progress"), cancellationToken);
        table.AddRow("projection lag (query service)", projection);
        table.AddRow("rebuild (query service)", rebuild);
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

    /// <summary>The query service's projection lag (age of the latest change when applied) and its rebuild's state.</summary>
    private static async Task<(string Projection, string Rebuild)> QueryProgressAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var progress = await http.GetFromJsonAsync<JsonElement>(url, cancellationToken);
            var projection = progress.GetProperty("projection");
            var lag = projection.GetProperty("lagMilliseconds") is { ValueKind: JsonValueKind.Number } ms
                ? $"{ms.GetDouble():0} ms at {projection.GetProperty("lastAppliedAt").GetDateTimeOffset():u}"
                : "nothing applied since start";
            var rebuild = progress.GetProperty("rebuild");
            var (state, position, head) = (rebuild.GetProperty("state").GetString(), Position(rebuild, "position"), Position(rebuild, "head"));
            return (lag, state is "idle" ? "idle" : $"{state} at {position} / {head}");
        }
        catch (HttpRequestException e)
        {
            var why = e.StatusCode is { } status ? $"{(int)status}{(status is System.Net.HttpStatusCode.Unauthorized ? ": pass --token" : "")}" : e.HttpRequestError.ToString();
            return ($"unavailable ({why})", "unknown");
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
