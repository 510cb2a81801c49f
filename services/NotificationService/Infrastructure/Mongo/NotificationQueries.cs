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

    /// <summary>The claim's condition per document: still among the due ones picked (a racing claim got none of those it pushed out).</summary>
    public static FilterDefinition<NotificationDocument> DueAmong(IEnumerable<string> ids, DateTimeOffset now) => Filter.In(d => d.Id, ids) & DueBy(now);

    /// <summary>Pushes a claimed notification out by the lease and marks it with the claim, so the claimer reads back only its own.</summary>
    public static UpdateDefinition<NotificationDocument> Claim(DateTimeOffset leaseUntil, string claim) =>
        Update.Set(d => d.DueAt, leaseUntil.UtcDateTime).Set(d => d.Claim, claim);

    public static FilterDefinition<NotificationDocument> ClaimedAmong(IEnumerable<string> ids, string claim) =>
        Filter.In(d => d.Id, ids) & Filter.Eq(d => d.Claim, claim);

    public static UpdateDefinition<NotificationDocument> Sent(int attempts, DateTimeOffset at) => Update
        .Set(d => d.State, NotificationStateText.Sent)
        .Set(d => d.Attempts, attempts)
        .Set(d => d.SentAt, at.UtcDateTime)
        .Set(d => d.UpdatedAt, at.UtcDateTime);

    /// <summary>
    /// A delivery round's outcome: <see cref="Sent"/>, or pending again (or failed) with the next due time and the error
    /// (a released notification keeps the error it had).
    /// </summary>
    public static UpdateDefinition<NotificationDocument> Outcome(DeliveryOutcome outcome)
    {
        if (outcome.State == NotificationState.Sent)
        {
            return Sent(outcome.Attempts, outcome.At);
        }
        var update = Update
            .Set(d => d.State, NotificationStateText.Of(outcome.State))
            .Set(d => d.Attempts, outcome.Attempts)
            .Set(d => d.DueAt, outcome.DueAt.UtcDateTime)
            .Set(d => d.UpdatedAt, outcome.At.UtcDateTime);
        return outcome.LastError is { } error ? update.Set(d => d.LastError, error) : update;
    }

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
