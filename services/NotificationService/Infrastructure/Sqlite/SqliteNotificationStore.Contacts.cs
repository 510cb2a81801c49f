using NotificationService.Notifications;

namespace NotificationService.Infrastructure.Sqlite;

/// <summary>The contact records, and a contact change with the notifications it owes in one transaction.</summary>
public sealed partial class SqliteNotificationStore
{
    public Task<Contact?> FindContactAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _database.ReadFirstAsync(
            "SELECT email, display_name, version FROM contacts WHERE user_id = $userId",
            command => command.Parameters.AddWithValue("$userId", userId.ToString()),
            reader => new Contact(userId, reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), cancellationToken);

    /// <summary>
    /// One transaction: each owed notification inserted unless recorded, then version 1 inserts the contact unless it exists,
    /// and a later version updates it only from the version before.
    /// </summary>
    public Task<(bool ContactWritten, int NotificationsAdded)> TryAdvanceAsync(
        Contact contact, IReadOnlyList<Notification> owed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        ArgumentNullException.ThrowIfNull(owed);
        return _database.WriteAsync(statements =>
        {
            var added = 0;
            foreach (var notification in owed)
            {
                var insert = statements.For(InsertNotification);
                BindNotification(insert, notification);
                added += insert.ExecuteNonQuery();
            }
            var command = statements.For(contact.Version == 1
                ? "INSERT INTO contacts (user_id, email, display_name, version) VALUES ($userId, $email, $name, $version) ON CONFLICT (user_id) DO NOTHING"
                : "UPDATE contacts SET email = $email, display_name = $name, version = $version WHERE user_id = $userId AND version = $version - 1");
            command.Parameters.AddWithValue("$userId", contact.UserId.ToString());
            command.Parameters.AddWithValue("$email", contact.Email);
            command.Parameters.AddWithValue("$name", contact.DisplayName);
            command.Parameters.AddWithValue("$version", contact.Version);
            return (command.ExecuteNonQuery() == 1, added);
        }, cancellationToken);
    }
}
