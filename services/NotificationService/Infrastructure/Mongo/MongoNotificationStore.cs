using MongoDB.Driver;
using NotificationService.Notifications;

namespace NotificationService.Infrastructure.Mongo;

/// <summary>
/// The production notification log (<c>notifications</c>) and contact records (<c>contacts</c>). Adding is an insert whose
/// duplicate-key error means "already recorded"; a claim is one findOneAndUpdate of the earliest due pending document;
/// outcomes are updates filtered on the pending state; contact changes are filtered on <c>{_id, version: N - 1}</c>.
/// </summary>
public sealed class MongoNotificationStore : INotificationStore, IContactStore
{
    private readonly IMongoCollection<NotificationDocument> _notifications;
    private readonly IMongoCollection<ContactDocument> _contacts;

    public MongoNotificationStore(IMongoDatabase database)
    {
        _notifications = database.GetCollection<NotificationDocument>("notifications");
        _contacts = database.GetCollection<ContactDocument>("contacts");
    }

    public Task CreateIndexesAsync(CancellationToken cancellationToken = default) =>
        _notifications.Indexes.CreateManyAsync(NotificationQueries.Indexes, cancellationToken);

    public async Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        try
        {
            await _notifications.InsertOneAsync(NotificationDocument.From(notification), cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            return false;
        }
    }

    public async Task<Notification?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await _notifications.Find(NotificationQueries.ById(id)).FirstOrDefaultAsync(cancellationToken))?.ToNotification();

    public async Task<Notification?> ClaimNextDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        var claimed = await _notifications.FindOneAndUpdateAsync(
            NotificationQueries.DueBy(now), NotificationQueries.Claim(leaseUntil),
            new FindOneAndUpdateOptions<NotificationDocument> { Sort = NotificationQueries.EarliestDueFirst, ReturnDocument = ReturnDocument.After },
            cancellationToken);
        return claimed?.ToNotification();
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        var next = await _notifications.Find(NotificationQueries.Pending).Sort(NotificationQueries.EarliestDueFirst)
            .Limit(1).FirstOrDefaultAsync(cancellationToken);
        return next is null ? null : new DateTimeOffset(DateTime.SpecifyKind(next.DueAt, DateTimeKind.Utc));
    }

    public async Task<bool> MarkSentAsync(Guid id, int attempts, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var result = await _notifications.UpdateOneAsync(
            NotificationQueries.PendingById(id), NotificationQueries.Sent(attempts, at), cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    public async Task<bool> MarkAttemptFailedAsync(
        Guid id, int attempts, string lastError, DateTimeOffset? retryAt, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var result = await _notifications.UpdateOneAsync(
            NotificationQueries.PendingById(id), NotificationQueries.AttemptFailed(attempts, lastError, retryAt, at), cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    public async Task EraseUserAsync(Guid userId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var forUser = NotificationQueries.ForUser(userId);
        await _notifications.UpdateManyAsync(forUser & NotificationQueries.Pending, NotificationQueries.Cancelled(at), cancellationToken: cancellationToken);
        await _notifications.UpdateManyAsync(forUser, NotificationQueries.Blanked(at), cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<Notification>> ForUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var documents = await _notifications.Find(NotificationQueries.ForUser(userId)).Sort(NotificationQueries.OldestFirst)
            .ToListAsync(cancellationToken);
        return documents.ConvertAll(d => d.ToNotification());
    }

    public async Task<Contact?> FindContactAsync(Guid userId, CancellationToken cancellationToken = default) =>
        (await _contacts.Find(NotificationQueries.ContactById(userId)).FirstOrDefaultAsync(cancellationToken))?.ToContact();

    public async Task<bool> TryWriteContactAsync(Contact contact, CancellationToken cancellationToken = default)
    {
        if (contact.Version == 1)
        {
            try
            {
                await _contacts.InsertOneAsync(ContactDocument.From(contact), cancellationToken: cancellationToken);
                return true;
            }
            catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
            {
                return false;
            }
        }
        var result = await _contacts.UpdateOneAsync(
            NotificationQueries.ContactAtVersion(contact.UserId, contact.Version - 1), NotificationQueries.ContactChangeTo(contact),
            cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }
}
