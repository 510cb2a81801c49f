using MassTransit;
using Microsoft.Extensions.Options;

namespace NotificationService.Integration;

/// <summary>
/// Puts every notification consumer on the one receive endpoint <see cref="Name"/>, so a user's messages keep their order
/// mostly and gap retries stay rare. A failing message is retried with exponential back-off; after
/// <see cref="NotificationOptions.MessageRetryLimit"/> attempts it goes to the error queue.
/// </summary>
public sealed class NotificationUsersEndpoint<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public const string Name = "notification-users";

    private readonly NotificationOptions _options;

    public NotificationUsersEndpoint(IOptions<NotificationOptions> options)
    {
        _options = options.Value;
        EndpointName = Name;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(retry => retry.Exponential(
            _options.MessageRetryLimit, _options.MessageRetryMinInterval, _options.MessageRetryMaxInterval, _options.MessageRetryMinInterval));
}
