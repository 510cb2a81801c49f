namespace NotificationService.Notifications;

/// <summary>The per-user contact records, versioned like the query service's views.</summary>
public interface IContactStore
{
    Task<Contact?> FindContactAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the notifications a contact change owes (each unless one with its id exists) and stores <paramref name="contact"/>
    /// if the stored one is at <c>Version - 1</c> (for version 1: if there is none), in one write where the store can (SQLite:
    /// one transaction). The notifications are recorded even when the contact is not stored: keyed by id, a repeat adds none.
    /// </summary>
    Task<(bool ContactWritten, int NotificationsAdded)> TryAdvanceAsync(
        Contact contact, IReadOnlyList<Notification> owed, CancellationToken cancellationToken = default);
}

public static class ContactStoreExtensions
{
    /// <summary>Stores <paramref name="contact"/> if the stored one is at <c>Version - 1</c> (for version 1: if there is none).</summary>
    public static async Task<bool> TryWriteContactAsync(this IContactStore store, Contact contact, CancellationToken cancellationToken = default) =>
        (await store.TryAdvanceAsync(contact, [], cancellationToken)).ContactWritten;
}
