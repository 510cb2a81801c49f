using Accounts.Domain;
using EventStore;

namespace CommandService.Infrastructure;

/// <summary>
/// The account data keys as the command service uses them (through the key store port): reading and writing an account's
/// events through its key, and the secret that names reservation streams (a key store entry of its own, never destroyed).
/// </summary>
public sealed class AccountKeys(IKeyStore keys, IEventStore store)
{
    public const string ReservationHashSubject = "email-reservation-names";

    private readonly Lazy<Task<byte[]>> _hashKey = new(async () =>
        (await keys.GetOrCreateAsync(ReservationHashSubject)).Bytes ?? throw new InvalidOperationException("The reservation name key was destroyed."));

    public static string Subject(Guid userId) => UserStreams.For(userId);

    /// <summary>The account's key for reading: null when it has none (yet) or it was destroyed.</summary>
    public async Task<byte[]?> ForReadAsync(Guid userId, CancellationToken cancellationToken) =>
        (await keys.FindAsync(Subject(userId), cancellationToken)).Bytes;

    /// <summary>The account's key for writing, made on first use; null when it was destroyed (the account was erased).</summary>
    public async Task<byte[]?> ForWriteAsync(Guid userId, CancellationToken cancellationToken) =>
        (await keys.GetOrCreateAsync(Subject(userId), cancellationToken)).Bytes;

    public Task DestroyAsync(Guid userId, CancellationToken cancellationToken) => keys.DestroyAsync(Subject(userId), cancellationToken);

    /// <summary>The account's stored events (the first <paramref name="maxCount"/>), with their personal fields opened.</summary>
    public async Task<(IReadOnlyList<StoredEvent> Stored, List<IUserEvent> Events)> ReadAccountAsync(
        Guid userId, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var stored = await store.ReadStreamAsync(UserStreams.For(userId), maxCount: maxCount, cancellationToken: cancellationToken);
        if (stored.Count == 0)
        {
            return (stored, []);
        }
        var key = await ForReadAsync(userId, cancellationToken);
        return (stored, stored.Select(e => PersonalData.Open(UserStreams.ToUserEvent(e), key)).ToList());
    }

    /// <summary>One stored account event with its personal fields opened (the relay's read).</summary>
    public async Task<IUserEvent> OpenAsync(StoredEvent stored, CancellationToken cancellationToken)
    {
        var @event = UserStreams.ToUserEvent(stored);
        return PersonalData.Open(@event, await ForReadAsync(@event.UserId, cancellationToken));
    }

    public async Task<string> ReservationStreamAsync(string normalizedEmail) =>
        EmailReservationDecider.StreamFor(PersonalData.AddressHash(normalizedEmail, await _hashKey.Value));
}
