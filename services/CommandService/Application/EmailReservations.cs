using Accounts.Domain;
using CommandService.Infrastructure;
using EventStore;

namespace CommandService.Application;

/// <summary>
/// The e-mail addresses' reservation streams as commands use them: claim an address for an account (of concurrent claims
/// the append's expected revision lets one win) and release it. The fold of each stream this instance wrote is remembered
/// (<see cref="AccountCache"/>), and an address never seen is taken for one nobody reserved, so a claim appends without
/// reading first; when the append says the stream moved on, the claim is decided again on a fresh read. Only a
/// reservation rests on the remembered state: an address found held (by the claimant or another) is read again first.
/// </summary>
public sealed class EmailReservations(IEventStore store, AccountKeys keys, AccountCache cache, TimeProvider clock)
{
    private const int ClaimAttempts = 3;

    /// <summary>
    /// Reserves the address for the user (<see cref="ClaimOutcome.Reserve"/>: appended now), finds it held by the user
    /// already, or taken. Throws <see cref="WrongExpectedRevisionException"/> when the address changed hands on every attempt.
    /// </summary>
    public async Task<ClaimOutcome> ClaimAsync(string email, Guid userId, byte[] key, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var stream = await keys.ReservationStreamAsync(email);
        var snapshot = cache.Reservation(stream) ?? ReservationSnapshot.None;
        var (fresh, conflicts) = (false, 0);
        while (true)
        {
            var outcome = await EmailReservationDecider.Claim(snapshot.State, userId, email, HolderEmailAsync, clock.GetUtcNow());
            if (outcome != ClaimOutcome.Reserve && !fresh)
            {
                (snapshot, fresh) = (await ReadAsync(stream, cancellationToken), true);
                continue;
            }
            if (outcome != ClaimOutcome.Reserve)
            {
                return outcome;
            }
            var reserved = new EmailReserved(userId, email, clock.GetUtcNow());
            try
            {
                var data = UserStreams.ToEventData(PersonalData.Seal(reserved, key), metadata);
                var appended = await store.AppendAsync(stream, ExpectedRevision.After(snapshot.Revision), [data], cancellationToken);
                cache.Remember(stream, snapshot.After(reserved, appended));
                return outcome;
            }
            catch (WrongExpectedRevisionException)
            {
                // Someone else claimed or released it meanwhile (or what we remembered was old): decide again on what is there.
                cache.ForgetReservation(stream);
                if (fresh && ++conflicts >= ClaimAttempts)
                {
                    throw;
                }
                (snapshot, fresh) = (await ReadAsync(stream, cancellationToken), true);
            }
        }

        async ValueTask<string?> HolderEmailAsync(Guid holder)
        {
            var (_, events) = await keys.ReadAccountAsync(holder, cancellationToken: cancellationToken);
            return events.Count == 0 ? null : UserState.Fold(events).Email;
        }
    }

    /// <summary>Frees the address (whoever holds it now: a release by another than the holder changes nothing).</summary>
    public async Task ReleaseAsync(string email, Guid userId, byte[] key, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var stream = await keys.ReservationStreamAsync(email);
        var known = cache.Reservation(stream);
        cache.ForgetReservation(stream);
        var released = new EmailReleased(userId, email, clock.GetUtcNow());
        var data = UserStreams.ToEventData(PersonalData.Seal(released, key), metadata);
        var appended = await store.AppendAsync(stream, ExpectedRevision.StreamExists, [data], cancellationToken);
        if (known is { Revision: { } revision } && appended.Revision == revision + 1)
        {
            cache.Remember(stream, known.After(released, appended)); // nothing came between: still exact
        }
    }

    private async Task<ReservationSnapshot> ReadAsync(string stream, CancellationToken cancellationToken)
    {
        var history = await store.ReadStreamAsync(stream, cancellationToken: cancellationToken);
        var state = history.Select(UserStreams.ToReservationEvent).Aggregate(ReservationState.Free, ReservationState.Evolve);
        var snapshot = new ReservationSnapshot(state, history.Count > 0 ? history[^1].Revision : null);
        cache.Remember(stream, snapshot);
        return snapshot;
    }
}
