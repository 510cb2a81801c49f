using Accounts.Domain;
using CommandService.Infrastructure;
using EventStore;

namespace CommandService.Application;

/// <summary>
/// The e-mail addresses' reservation streams as commands use them: claim an address for an account (of concurrent claims
/// the append's expected revision lets one win) and release it. A claim first takes the address for one nobody ever
/// reserved and appends without reading, as most addresses are new; when the append finds the stream, the claim is
/// decided again on a fresh read. Nothing of a reservation is remembered between commands: an address is rarely claimed
/// twice, and remembered reservations took a third of the account cache from the accounts.
/// </summary>
public sealed class EmailReservations(IEventStore store, AccountKeys keys, TimeProvider clock)
{
    private const int ClaimAttempts = 3;

    /// <summary>
    /// Reserves the address for the user (<see cref="ClaimOutcome.Reserve"/>: appended now), finds it held by the user
    /// already, or taken. Throws <see cref="WrongExpectedRevisionException"/> when the address changed hands on every attempt.
    /// </summary>
    public async Task<ClaimOutcome> ClaimAsync(string email, Guid userId, byte[] key, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var stream = await keys.ReservationStreamAsync(email);
        var (snapshot, fresh, conflicts) = (ReservationSnapshot.None, false, 0);
        while (true)
        {
            // The first attempt finds no holder (a new address: Reserve); the later ones decide on the stream as read.
            var outcome = await EmailReservationDecider.Claim(snapshot.State, userId, email, HolderEmailAsync, clock.GetUtcNow());
            if (outcome != ClaimOutcome.Reserve)
            {
                return outcome;
            }
            var reserved = new EmailReserved(userId, email, clock.GetUtcNow());
            try
            {
                var data = UserStreams.ToEventData(PersonalData.Seal(reserved, key), metadata);
                await store.AppendAsync(stream, ExpectedRevision.After(snapshot.Revision), [data], cancellationToken);
                return outcome;
            }
            catch (WrongExpectedRevisionException)
            {
                // The address was reserved before, or someone claimed or released it meanwhile: decide again on what is there.
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
        var released = new EmailReleased(userId, email, clock.GetUtcNow());
        var data = UserStreams.ToEventData(PersonalData.Seal(released, key), metadata);
        await store.AppendAsync(stream, ExpectedRevision.StreamExists, [data], cancellationToken);
    }

    private async Task<ReservationSnapshot> ReadAsync(string stream, CancellationToken cancellationToken)
    {
        var history = await store.ReadStreamAsync(stream, cancellationToken: cancellationToken);
        var state = history.Select(UserStreams.ToReservationEvent).Aggregate(ReservationState.Free, ReservationState.Evolve);
        return new ReservationSnapshot(state, history.Count > 0 ? history[^1].Revision : null);
    }
}
