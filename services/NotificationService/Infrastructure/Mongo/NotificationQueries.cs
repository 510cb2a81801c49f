using MongoDB.Driver;
using NotificationService.Notifications;

namespace NotificationService.Infrastructure.Mongo;

/// <summary>
/// Every filter, update, sort and index the MongoDB notification store sends, in one place so tests can render them to
/// BSON without a server.
/// </summary>
internal static class NotificationQueries
{
    private static FilterDefinitionBuilder<NotificationDocument> Filter => Builders<NotificationDocument>.Filter;

    private static UpdateDefinitionBuilder<NotificationDocument> Update => Builders<NotificationDocument>.Update;

    public static FilterDefinition<NotificationDocument> ById(Guid id) => Filter.Eq(d => d.Id, id.ToString());

    public static FilterDefinition<NotificationDocument> PendingById(Guid id) =>
        Filter.Eq(d => d.Id, id.ToString()) & Filter.Eq(d => d.State, NotificationStateText.Pending);

    public static FilterDefinition<NotificationDocument> ForUser(Guid userId) => Filter.Eq(d => d.UserId, userId.ToString());

    public static SortDefinition<NotificationDocument> OldestFirst =>
        Builders<NotificationDocument>.Sort.Ascending(d => d.CreatedAt).Ascending(d => d.Id);

    public static FilterDefinition<NotificationDocument> Pending => Filter.Eq(d => d.State, NotificationStateText.Pending);

    public static FilterDefinition<NotificationDocument> DueBy(DateTimeOffset now) =>
        Filter.Eq(d => d.State, NotificationStateText.Pending) & Filter.Lte(d => d.DueAt, now.UtcDateTime);

    public static SortDefinition<NotificationDocument> EarliestDueFirst =>
        Builders<NotificationDocument>.Sort.Ascending(d => d.DueAt).Ascending(d => d.Id);

    public static UpdateDefinition<NotificationDocument> Claim(DateTimeOffset leaseUntil) => Update.Set(d => d.DueAt, leaseUntil.UtcDateTime);

    public static UpdateDefinition<NotificationDocument> Sent(int attempts, DateTimeOffset at) => Update
        .Set(d => d.State, NotificationStateText.Sent)
        .Set(d => d.Attempts, attempts)
        .Set(d => d.SentAt, at.UtcDateTime)
        .Set(d => d.UpdatedAt, at.UtcDateTime);

    public static UpdateDefinition<NotificationDocument> AttemptFailed(int attempts, string error, DateTimeOffset? retryAt, DateTimeOffset at) => Update
        .Set(d => d.State, retryAt is null ? NotificationStateText.Failed : NotificationStateText.Pending)
        .Set(d => d.Attempts, attempts)
        .Set(d => d.LastError, error)
        .Set(d => d.DueAt, (retryAt ?? at).UtcDateTime)
        .Set(d => d.UpdatedAt, at.UtcDateTime);

    public static UpdateDefinition<NotificationDocument> Cancelled(DateTimeOffset at) => Update
        .Set(d => d.State, NotificationStateText.Cancelled)
        .Set(d => d.UpdatedAt, at.UtcDateTime);

    public static UpdateDefinition<NotificationDocument> Blanked(DateTimeOffset at) => Update
        .Set(d => d.Recipient, "")
        .Set(d => d.Subject, "")
        .Set(d => d.Body, "")
        .Set(d => d.LastError, null)
        .Set(d => d.UpdatedAt, at.UtcDateTime);

    public static IReadOnlyList<CreateIndexModel<NotificationDocument>> Indexes { get; } =
    [
        new(Builders<NotificationDocument>.IndexKeys.Ascending(d => d.UserId).Ascending(d => d.CreatedAt).Ascending(d => d.Id),
            new CreateIndexOptions { Name = "notifications_by_user" }),
        // Equality on state, then the claim's sort (dueAt, _id): the claim walks the index in order and sorts nothing.
        // Named anew: the first release's "notifications_due" lacked _id, and re-keying an index under its name fails.
        new(Builders<NotificationDocument>.IndexKeys.Ascending(d => d.State).Ascending(d => d.DueAt).Ascending(d => d.Id),
            new CreateIndexOptions { Name = "notifications_claim" }),
    ];

    public static FilterDefinition<ContactDocument> ContactById(Guid userId) => Builders<ContactDocument>.Filter.Eq(d => d.Id, userId.ToString());

    /// <summary>The write condition of every contact change after the registration: the stored contact is at the previous version.</summary>
    public static FilterDefinition<ContactDocument> ContactAtVersion(Guid userId, long version) =>
        Builders<ContactDocument>.Filter.Eq(d => d.Id, userId.ToString()) & Builders<ContactDocument>.Filter.Eq(d => d.Version, version);

    public static UpdateDefinition<ContactDocument> ContactChangeTo(Contact contact) => Builders<ContactDocument>.Update
        .Set(d => d.Email, contact.Email)
        .Set(d => d.DisplayName, contact.DisplayName)
        .Set(d => d.Version, contact.Version);
}
