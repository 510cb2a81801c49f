using MongoDB.Bson.Serialization.Attributes;
using NotificationService.Notifications;

namespace NotificationService.Infrastructure.Mongo;

/// <summary>A notification as stored in the <c>notifications</c> collection; ids are the text form of the UUIDs.</summary>
internal sealed class NotificationDocument
{
    [BsonId]
    public string Id { get; set; } = "";

    [BsonElement("userId")]
    public string UserId { get; set; } = "";

    [BsonElement("messageId")]
    public string MessageId { get; set; } = "";

    [BsonElement("kind")]
    public string Kind { get; set; } = "";

    [BsonElement("recipient")]
    public string Recipient { get; set; } = "";

    [BsonElement("subject")]
    public string Subject { get; set; } = "";

    [BsonElement("body")]
    public string Body { get; set; } = "";

    [BsonElement("state")]
    public string State { get; set; } = "";

    [BsonElement("attempts")]
    public int Attempts { get; set; }

    [BsonElement("lastError")]
    public string? LastError { get; set; }

    [BsonElement("createdAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public DateTime CreatedAt { get; set; }

    [BsonElement("updatedAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public DateTime UpdatedAt { get; set; }

    [BsonElement("dueAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public DateTime DueAt { get; set; }

    [BsonElement("sentAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public DateTime? SentAt { get; set; }

    /// <summary>The W3C trace context the notification was recorded in; absent on documents written before it was kept.</summary>
    [BsonElement("traceParent")]
    public string? TraceParent { get; set; }

    [BsonElement("traceState")]
    public string? TraceState { get; set; }

    /// <summary>The last claim that pushed it out (a fresh id per claim), so a batch claim reads back exactly what it took.</summary>
    [BsonElement("claim")]
    [BsonIgnoreIfNull]
    public string? Claim { get; set; }

    public static NotificationDocument From(Notification n) => new()
    {
        Id = n.Id.ToString(),
        UserId = n.UserId.ToString(),
        MessageId = n.MessageId.ToString(),
        Kind = NotificationKindText.Of(n.Kind),
        Recipient = n.Recipient,
        Subject = n.Subject,
        Body = n.Body,
        State = NotificationStateText.Of(n.State),
        Attempts = n.Attempts,
        LastError = n.LastError,
        CreatedAt = n.CreatedAt.UtcDateTime,
        UpdatedAt = n.UpdatedAt.UtcDateTime,
        DueAt = n.DueAt.UtcDateTime,
        SentAt = n.SentAt?.UtcDateTime,
        TraceParent = n.TraceParent,
        TraceState = n.TraceState,
    };

    public Notification ToNotification() => new(
        Guid.Parse(Id), Guid.Parse(UserId), Guid.Parse(MessageId), NotificationKindText.Parse(Kind), Recipient, Subject, Body,
        NotificationStateText.Parse(State), Attempts, LastError, Utc(CreatedAt), Utc(UpdatedAt), Utc(DueAt),
        SentAt is { } sent ? Utc(sent) : null, TraceParent, TraceState);

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
