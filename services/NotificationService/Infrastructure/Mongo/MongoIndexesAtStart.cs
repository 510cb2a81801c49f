namespace NotificationService.Infrastructure.Mongo;

/// <summary>Creates the notification indexes when the host starts (idempotent: an existing index with the same keys is kept).</summary>
internal sealed class MongoIndexesAtStart(MongoNotificationStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.CreateIndexesAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
