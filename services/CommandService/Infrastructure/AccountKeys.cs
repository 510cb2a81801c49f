using Accounts.Domain;
using EventStore;

namespace CommandService.Infrastructure;

/// <summary>
/// The account data keys as the command service uses them (through the key store port): reading and writing an account's
/// events through its key, and the secret that names reservation streams (a key store entry of its own, never destroyed).
/// Live keys are remembered (<see cref="AccountCache"/>) until this instance erases the account or the relay meets its
/// <see cref="UserErased"/>.
/// </summary>
public sealed class AccountKeys(IKeyStore keys, IEventStore store, AccountCache cache)
{
    public const string ReservationHashSubject = "email-reservation-names";

    private readonly Lazy<Task<byte[]>> _hashKey = new(async () =>
        (await keys.GetOrCreateAsync(ReservationHashSubject)).Bytes ?? throw new InvalidOperationException("The reservation name key was destroyed."));

    public static string Subject(Guid userId) => UserStreams.For(userId);

    /// <summary>The account's key for reading: null when it has none (yet) or it was destroyed.</summary>
    public Task<byte[]?> ForReadAsync(Guid userId, CancellationToken cancellationToken) =>
        KeyAsync(userId, subject => keys.FindAsync(subject, cancellationToken));

    /// <summary>The account's key for writing, made on first use; null when it was destroyed (the account was erased).</summary>
    public Task<byte[]?> ForWriteAsync(Guid userId, CancellationToken cancellationToken) =>
        KeyAsync(userId, subject => keys.GetOrCreateAsync(subject, cancellationToken));

    /// <summary>Destroys the account's key for good and forgets it (and the account's state) here.</summary>
    public async Task DestroyAsync(Guid userId, CancellationToken cancellationToken)
    {
        await keys.DestroyAsync(Subject(userId), cancellationToken);
        cache.Erased(userId);
    }

    private async Task<byte[]?> KeyAsync(Guid userId, Func<string, Task<DataKey>> load)
    {
        if (cache.Key(userId) is { } remembered)
        {
            return remembered;
        }
        var erasures = cache.Erasures;
        var key = (await load(Subject(userId))).Bytes;
        if (key is not null)
        {
            cache.RememberKey(userId, key, erasures);
        }
        return key;
    }

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

    /// <summary>
    /// One stored account event with its personal fields opened (the relay's read). An erasure, wherever it
    /// ran, makes this instance forget the account's key when its <see cref="UserErased"/> passes here.
    /// </summary>
    public async Task<IUserEvent> OpenAsync(StoredEvent stored, CancellationToken cancellationToken)
    {
        var @event = UserStreams.ToUserEvent(stored);
        if (@event is UserErased)
        {
            cache.Erased(@event.UserId);
        }
        return PersonalData.Open(@event, await ForReadAsync(@event.UserId, cancellationToken));
    }

    /// <summary>
    /// Stored account events with their personal fields opened, for a read across many accounts (a feed page). A key the
    /// cache holds is used; any other is read from the key store once per call and not remembered, so a replay of the
    /// whole log (a rebuild reads every account's events) does not push the accounts commands are using out of the cache.
    /// </summary>
    public async Task<List<IUserEvent>> OpenScanAsync(IEnumerable<StoredEvent> events, CancellationToken cancellationToken)
    {
        var scanned = new Dictionary<Guid, byte[]?>();
        var opened = new List<IUserEvent>();
        foreach (var stored in events)
        {
            var @event = UserStreams.ToUserEvent(stored);
            var userId = @event.UserId;
            if (@event is UserErased)
            {
                cache.Erased(userId);
                scanned.Remove(userId);
            }
            if (!scanned.TryGetValue(userId, out var key))
            {
                scanned[userId] = key = cache.Key(userId) ?? (await keys.FindAsync(Subject(userId), cancellationToken)).Bytes;
            }
            opened.Add(PersonalData.Open(@event, key));
        }
        return opened;
    }

    public async Task<string> ReservationStreamAsync(string normalizedEmail) =>
        EmailReservationDecider.StreamFor(PersonalData.AddressHash(normalizedEmail, await _hashKey.Value));
}
