namespace NotificationService.Notifications;

/// <summary>The per-user contact records, versioned like the query service's views.</summary>
public interface IContactStore
{
    Task<Contact?> FindContactAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="contact"/> if the stored one is at <c>Version - 1</c> (for version 1: if there is none).</summary>
    Task<bool> TryWriteContactAsync(Contact contact, CancellationToken cancellationToken = default);
}
