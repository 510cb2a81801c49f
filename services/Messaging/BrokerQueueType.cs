namespace Accounts.Messaging;

/// <summary><c>Messaging:QueueType</c>: <c>classic</c> (one node holds the queue) or <c>quorum</c> (replicated over the cluster).</summary>
public enum BrokerQueueType
{
    Classic,
    Quorum,
}
