using CommandService;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using NotificationService;
using QueryService;

namespace SingleProcessHost;

/// <summary>What a newcomer needs on the first screen: where it listens, where its data lies, a request to try.</summary>
internal static class Welcome
{
    public static void Print(WebApplication app)
    {
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? Program.DefaultUrl;
        var events = app.Services.GetRequiredService<IOptions<EventStoreOptions>>().Value;
        var query = app.Services.GetRequiredService<IOptions<QueryOptions>>().Value;
        var notifications = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        Console.WriteLine($$"""

            Accounts system (command, query and notification services in one process) listening on {{url}}
              event store     {{Path.GetFullPath(events.SqlitePath)}}
              query views     {{Path.GetFullPath(query.SqlitePath)}}
              notifications   {{Path.GetFullPath(notifications.SqlitePath)}}
              sent mail       {{Path.GetFullPath(notifications.PickupDirectory)}} (.eml files; set Smtp__Host to send)
              API pages       {{url}}/scalar/command, {{url}}/scalar/query, {{url}}/scalar/notification
              OpenAPI         {{url}}/openapi/{command,query,notification,v1}.json
              telemetry       {{Telemetry(app)}}

            Every endpoint but health wants a bearer token; `make token` prints one with every scope. Try:
              TOKEN=$(make -s token)
              curl -s -X POST {{url}}/users -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"email":"ada@example.org","displayName":"Ada"}'
              curl -s {{url}}/users -H "Authorization: Bearer $TOKEN"
            Ctrl-C stops it.
            """);
    }

    /// <summary>Where telemetry goes: the dashboard `make dashboard` starts (DASHBOARD_URL), or nowhere.</summary>
    private static string Telemetry(WebApplication app) => app.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } otlp
        ? $"OTLP to {otlp}; traces, logs and metrics at {app.Configuration["DASHBOARD_URL"] ?? "your OTLP backend"}"
        : "not exported (run `make dashboard` first, then `make run`, to see traces, logs and metrics)";
}
