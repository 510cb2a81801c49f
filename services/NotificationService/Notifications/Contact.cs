namespace NotificationService.Notifications;

/// <summary>
/// What the service knows of a user to write to them: the current address and name, as of stream <see cref="Version"/>.
/// Kept because a deactivation message carries neither, and to greet people by their current name.
/// </summary>
public sealed record Contact(Guid UserId, string Email, string DisplayName, long Version);
