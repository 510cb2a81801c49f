using MongoDB.Driver;
using NotificationService.Notifications;

namespace NotificationService.Infrastructure.Mongo;

/// <summary>
/// The production notification log (<c>notifications</c>) and contact records (<c>contacts</c>). Adding is an insert whose
/// duplicate-key error means "already recorded"; a batch claim takes the earliest due pending documents in three round
/// trips; a batch's outcomes are one bulk write of updates filtered on the pending state; contact changes are filtered on <c>{_id, version: N - 1}</c>.
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

    /// <summary>
    /// Three round trips for the whole batch: the ids of the earliest due, one updateMany that pushes out those still due
    /// (each document atomically, so a racing claim takes none of them twice) marking them with a fresh claim id, and one
    /// read of the documents carrying it.
    /// </summary>
    public async Task<IReadOnlyList<Notification>> ClaimDueAsync(
        DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var due = await _notifications.Find(NotificationQueries.DueBy(now)).Sort(NotificationQueries.EarliestDueFirst).Limit(limit)
            .Project(d => d.Id).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }
        var claim = Guid.NewGuid().ToString();
        await _notifications.UpdateManyAsync(NotificationQueries.DueAmong(due, now), NotificationQueries.Claim(leaseUntil, claim),
            cancellationToken: cancellationToken);
        var claimed = await _notifications.Find(NotificationQueries.ClaimedAmong(due, claim)).ToListAsync(cancellationToken);
        var order = due.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index);
        return [.. claimed.OrderBy(d => order[d.Id]).Select(d => d.ToNotification())];
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        var next = await _notifications.Find(NotificationQueries.Pending).Sort(NotificationQueries.EarliestDueFirst)
            .Limit(1).FirstOrDefaultAsync(cancellationToken);
        return next is null ? null : new DateTimeOffset(DateTime.SpecifyKind(next.DueAt, DateTimeKind.Utc));
    }

    /// <summary>One unordered bulk write of conditioned updates for the whole batch.</summary>
    public async Task<int> RecordOutcomesAsync(IReadOnlyCollection<DeliveryOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return 0;
        }
        var updates = outcomes.Select(o => new UpdateOneModel<NotificationDocument>(NotificationQueries.PendingById(o.Id), NotificationQueries.Outcome(o)));
        var result = await _notifications.BulkWriteAsync(updates, new BulkWriteOptions { IsOrdered = false }, cancellationToken);
        return (int)result.MatchedCount;
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

    /// <summary>
    /// The owed notifications first (inserts whose duplicate-key error means "already recorded"), then the contact: no
    /// transaction (that needs a replica set), so a crash in between leaves recorded notifications whose repeat adds none.
    /// </summary>
    public async Task<(bool ContactWritten, int NotificationsAdded)> TryAdvanceAsync(
        Contact contact, IReadOnlyList<Notification> owed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        ArgumentNullException.ThrowIfNull(owed);
        var added = 0;
        foreach (var notification in owed)
        {
            added += await AddAsync(notification, cancellationToken) ? 1 : 0;
        }
        return (await TryWriteContactAsync(contact, cancellationToken), added);
    }

    private async Task<bool> TryWriteContactAsync(Contact contact, CancellationToken cancellationToken = default)
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
