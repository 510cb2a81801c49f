using MassTransit;
using Microsoft.Extensions.Options;

namespace QueryService.Integration;

/// <summary>
/// Puts every query consumer on the one receive endpoint <see cref="Name"/>: one queue for all of a user's messages keeps
/// their publish order mostly intact, so gap retries stay rare. A failing message (a gap that has not closed yet) is
/// retried with exponential back-off; after <see cref="QueryOptions.RetryLimit"/> attempts it goes to the error queue.
/// </summary>
public sealed class QueryUsersEndpoint<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public const string Name = "query-users";

    private readonly QueryOptions _options;

    public QueryUsersEndpoint(IOptions<QueryOptions> options)
    {
        _options = options.Value;
        EndpointName = Name;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(retry => retry.Exponential(
            _options.RetryLimit, _options.RetryMinInterval, _options.RetryMaxInterval, _options.RetryMinInterval));
}
