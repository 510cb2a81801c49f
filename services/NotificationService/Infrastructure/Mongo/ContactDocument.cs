using MongoDB.Bson.Serialization.Attributes;
using NotificationService.Notifications;

namespace NotificationService.Infrastructure.Mongo;

/// <summary>A contact as stored in the <c>contacts</c> collection, keyed by the user id's text form.</summary>
internal sealed class ContactDocument
{
    [BsonId]
    public string Id { get; set; } = "";

    [BsonElement("email")]
    public string Email { get; set; } = "";

    [BsonElement("displayName")]
    public string DisplayName { get; set; } = "";

    [BsonElement("version")]
    public long Version { get; set; }

    public static ContactDocument From(Contact contact) =>
        new() { Id = contact.UserId.ToString(), Email = contact.Email, DisplayName = contact.DisplayName, Version = contact.Version };

    public Contact ToContact() => new(Guid.Parse(Id), Email, DisplayName, Version);
}
