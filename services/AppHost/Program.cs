using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AppHost;

/// <summary>
/// `make run-local`: the three services as project resources over one RabbitMQ, under Aspire's orchestrator, with the
/// dashboard showing each resource's state and health, their console and structured logs, traces and metrics (every
/// project gets OTEL_EXPORTER_OTLP_ENDPOINT pointing at the dashboard). The broker is RABBITMQ_URL when set, else a private
/// node started as an executable resource by infra/rabbitmq-node.sh. No container is used, so no Docker engine is needed,
/// unless CONTAINERS=1 asks for the compose stack's servers (<see cref="ComposeServers"/>). Stopping the app host (Ctrl-C,
/// TERM) stops every resource it started.
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(args);
        var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));
        var data = Path.GetFullPath(builder.Configuration["DATA"] is { Length: > 0 } folder ? folder : Path.Combine(root, "data"), root);
        var local = Path.Combine(data, "local");

        var containers = ComposeServers.When(builder);
        var (brokerUrl, broker) = containers is null ? Broker(builder, root) : (null, null);
        IResourceBuilder<ProjectResource> Service<TProject>(string name, int port)
            where TProject : IProjectMetadata, new()
        {
            var service = builder.AddProject<TProject>(name, launchProfileName: null)
                .WithHttpEndpoint(port: port, isProxied: false)
                .WithHttpHealthCheck("/health/ready")
                .WithEnvironment("Auth__SigningKey", builder.Configuration["Auth:SigningKey"]); // make run-local's development key
            return containers is not null
                ? service.WithEnvironment("ConnectionStrings__rabbitmq", containers.RabbitMqUrl).WaitFor(containers.RabbitMq)
                : broker is null
                    ? service.WithEnvironment("ConnectionStrings__rabbitmq", brokerUrl)
                    : service.WithEnvironment("ConnectionStrings__rabbitmq", brokerUrl).WaitFor(broker);
        }

        var command = Service<Projects.CommandService>("command-service", 5081)
            .WithEnvironment("EventStore__SqlitePath", Path.Combine(local, "command", "events.db"));
        // Gap repair reads the command service's integration feed.
        var feed = command.GetEndpoint("http");
        var query = Service<Projects.QueryService>("query-service", 5082)
            .WithEnvironment("Feed__BaseUrl", feed)
            .WithEnvironment("Query__SqlitePath", Path.Combine(local, "query", "views.db"));
        var notification = Service<Projects.NotificationService>("notification-service", 5083)
            .WithEnvironment("Feed__BaseUrl", feed)
            .WithEnvironment("Notifications__SqlitePath", Path.Combine(local, "notification", "notifications.db"))
            .WithEnvironment("Notifications__PickupDirectory", Path.Combine(local, "notification", "outbox"));
        if (containers is not null)
        {
            containers.ForCommand(command);
            containers.ForQuery(query);
            containers.ForNotification(notification);
        }

        await using var app = builder.Build();
        await app.RunAsync();
    }

    /// <summary>RABBITMQ_URL as it is, or a private node on a free port, healthy once it accepts AMQP connections.</summary>
    private static (string Url, IResourceBuilder<ExecutableResource>? Node) Broker(IDistributedApplicationBuilder builder, string root)
    {
        if (builder.Configuration["RABBITMQ_URL"] is { Length: > 0 } url)
        {
            return (url, null);
        }
        var port = FreePort();
        builder.Services.AddHealthChecks().AddAsyncCheck("rabbitmq-amqp", async cancellationToken =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (SocketException e)
            {
                return HealthCheckResult.Unhealthy($"nothing accepts AMQP on 127.0.0.1:{port} yet", e);
            }
        });
        var node = builder.AddExecutable("rabbitmq", "bash", root, Path.Combine(root, "infra", "rabbitmq-node.sh"), "run")
            .WithEnvironment("AMQP_PORT", port.ToString(CultureInfo.InvariantCulture))
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "amqp", isProxied: false)
            .WithHealthCheck("rabbitmq-amqp");
        return ($"amqp://guest:guest@127.0.0.1:{port}/", node);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
