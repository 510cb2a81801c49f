using Accounts.Contracts;
using MassTransit;
using MassTransit.Configuration;

namespace Accounts.Messaging;

/// <summary>
/// Puts a partitioner keyed by user id in front of every consumer of a user message on one endpoint, so an instance
/// handles one user's messages one at a time, in the order they arrived (batches keep it by other means:
/// <see cref="Feed.ArrivalOrder"/>). It is a configuration observer like the one behind UseMessageRetry, connected after
/// it, so its filter sits inside the retry filter: a message waiting for a retry has left its partition, and the very
/// version it waits for can pass.
/// </summary>
internal sealed class PartitionByUser : ConfigurationObserver, IMessageConfigurationObserver
{
    private readonly IPartitioner _partitioner;

    public PartitionByUser(IReceiveEndpointConfigurator endpoint, int partitions)
        : base(endpoint)
    {
        _partitioner = endpoint.CreatePartitioner(partitions);
        Connect(this);
    }

    public void MessageConfigured<TMessage>(IConsumePipeConfigurator configurator)
        where TMessage : class
    {
        if (typeof(IUserMessage).IsAssignableFrom(typeof(TMessage)))
        {
            configurator.UsePartitioner<TMessage>(_partitioner, context => ((IUserMessage)context.Message).UserId);
        }
    }
}
