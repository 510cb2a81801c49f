using MassTransit;

namespace QueryService.Integration;

/// <summary>
/// Puts every query consumer on the one receive endpoint <see cref="Name"/>: one queue for all of a user's messages keeps
/// their publish order mostly intact, so gap retries stay rare. Retries, redelivery and the error queue are the shared
/// messaging set-up's (section <c>Messaging</c>), the same for every endpoint.
/// </summary>
public sealed class QueryUsersEndpoint<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public const string Name = "query-users";

    public QueryUsersEndpoint() => EndpointName = Name;
}
