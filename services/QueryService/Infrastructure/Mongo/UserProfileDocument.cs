using MongoDB.Bson.Serialization.Attributes;
using QueryService.Views;

namespace QueryService.Infrastructure.Mongo;

/// <summary>A profile as stored in the <c>user_profiles</c> collection; the id is the user id's text form.</summary>
internal sealed class UserProfileDocument
{
    [BsonId]
    public string Id { get; set; } = "";

    [BsonElement("email")]
    public string Email { get; set; } = "";

    [BsonElement("emailKey")]
    public string EmailKey { get; set; } = "";

    [BsonElement("displayName")]
    public string DisplayName { get; set; } = "";

    [BsonElement("nameKey")]
    public string NameKey { get; set; } = "";

    [BsonElement("status")]
    public string Status { get; set; } = "";

    [BsonElement("version")]
    public long Version { get; set; }

    [BsonElement("registeredAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public DateTime RegisteredAt { get; set; }

    [BsonElement("updatedAt")]
    [BsonDateTimeOptions(Kind = DateTimeKind.Utc)]
    public DateTime UpdatedAt { get; set; }

    public static UserProfileDocument From(UserProfile profile) => new()
    {
        Id = profile.UserId.ToString(),
        Email = profile.Email,
        EmailKey = profile.EmailKey,
        DisplayName = profile.DisplayName,
        NameKey = profile.NameKey,
        Status = UserStatusText.Of(profile.Status),
        Version = profile.Version,
        RegisteredAt = profile.RegisteredAt.UtcDateTime,
        UpdatedAt = profile.UpdatedAt.UtcDateTime,
    };

    public UserProfile ToProfile() => new(
        Guid.Parse(Id), Email, DisplayName, UserStatusText.Parse(Status), Version,
        new DateTimeOffset(RegisteredAt, TimeSpan.Zero), new DateTimeOffset(UpdatedAt, TimeSpan.Zero));
}
