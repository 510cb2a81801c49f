namespace AppHost;

/// <summary>
/// With CONTAINERS=1 (a Docker engine needed), the compose stack's servers as container resources, the same images as
/// docker-compose.yml: RabbitMQ instead of the private node, EventStoreDB for the command service, MongoDB for the query
/// and notification services, Mailpit as their SMTP server. Without the switch nothing here runs and nothing needs Docker.
/// </summary>
internal sealed class ComposeServers
{
    private readonly IResourceBuilder<ContainerResource> _rabbitMq, _eventStore, _mongoDb, _mailpit;

    private ComposeServers(IDistributedApplicationBuilder builder)
    {
        _rabbitMq = builder.AddContainer("rabbitmq", "rabbitmq", "3.13.7-management")
            .WithEndpoint(targetPort: 5672, name: "amqp", scheme: "tcp")
            .WithHttpEndpoint(targetPort: 15672, name: "management");
        _eventStore = builder.AddContainer("eventstore", "eventstore/eventstore", "23.10.1-bookworm-slim")
            .WithEnvironment("EVENTSTORE_CLUSTER_SIZE", "1")
            .WithEnvironment("EVENTSTORE_RUN_PROJECTIONS", "None")
            .WithEnvironment("EVENTSTORE_INSECURE", "true")
            .WithHttpEndpoint(targetPort: 2113, name: "http")
            .WithHttpHealthCheck("/health/live");
        _mongoDb = builder.AddContainer("mongodb", "mongo", "7.0.14")
            .WithEndpoint(targetPort: 27017, name: "mongodb", scheme: "tcp");
        _mailpit = builder.AddContainer("mailpit", "axllent/mailpit", "v1.21.8")
            .WithEndpoint(targetPort: 1025, name: "smtp", scheme: "tcp")
            .WithHttpEndpoint(targetPort: 8025, name: "ui")
            .WithHttpHealthCheck("/readyz", endpointName: "ui");
    }

    /// <summary>The servers when the switch is on, else null.</summary>
    public static ComposeServers? When(IDistributedApplicationBuilder builder) =>
        builder.Configuration["CONTAINERS"] is "1" or "true" ? new ComposeServers(builder) : null;

    public ReferenceExpression RabbitMqUrl => ReferenceExpression.Create($"amqp://guest:guest@{Address(_rabbitMq, "amqp")}/");

    public IResourceBuilder<ContainerResource> RabbitMq => _rabbitMq;

    public IResourceBuilder<ProjectResource> ForCommand(IResourceBuilder<ProjectResource> service) => service
        .WithEnvironment("ConnectionStrings__eventstore", ReferenceExpression.Create($"esdb://{Address(_eventStore, "http")}?tls=false"))
        .WaitFor(_eventStore);

    public IResourceBuilder<ProjectResource> ForQuery(IResourceBuilder<ProjectResource> service) => service
        .WithEnvironment("ConnectionStrings__mongodb", ReferenceExpression.Create($"mongodb://{Address(_mongoDb, "mongodb")}/accounts-query"))
        .WaitFor(_mongoDb);

    public IResourceBuilder<ProjectResource> ForNotification(IResourceBuilder<ProjectResource> service)
    {
        var smtp = _mailpit.GetEndpoint("smtp");
        return service
            .WithEnvironment("ConnectionStrings__mongodb", ReferenceExpression.Create($"mongodb://{Address(_mongoDb, "mongodb")}/accounts-notification"))
            .WithEnvironment("Smtp__Host", ReferenceExpression.Create($"{smtp.Property(EndpointProperty.Host)}"))
            .WithEnvironment("Smtp__Port", ReferenceExpression.Create($"{smtp.Property(EndpointProperty.Port)}"))
            .WaitFor(_mongoDb)
            .WaitFor(_mailpit);
    }

    private static EndpointReferenceExpression Address(IResourceBuilder<ContainerResource> server, string endpoint) =>
        server.GetEndpoint(endpoint).Property(EndpointProperty.HostAndPort);
}
