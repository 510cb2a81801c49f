namespace Accounts.Domain;

/// <summary>
/// Events of a reservation stream (one per normalised address). As stored, <c>Email</c> is sealed with the holder's data key. An address belongs to at most one account:
/// a reservation is appended with the stream's expected revision, so of two concurrent claims only one wins.
/// </summary>
public interface IReservationEvent
{
    Guid UserId { get; }
    DateTimeOffset OccurredAt { get; }
}

public sealed record EmailReserved(Guid UserId, string Email, DateTimeOffset OccurredAt) : IReservationEvent;

public sealed record EmailReleased(Guid UserId, string Email, DateTimeOffset OccurredAt) : IReservationEvent;

/// <summary>Who holds an address now (if anyone) and since when.</summary>
public sealed record ReservationState(Guid? Holder, DateTimeOffset? Since)
{
    public static readonly ReservationState Free = new(null, null);

    public static ReservationState Evolve(ReservationState state, IReservationEvent @event) => @event switch
    {
        EmailReserved e => new ReservationState(e.UserId, e.OccurredAt),
        EmailReleased e when e.UserId == state.Holder => Free,
        EmailReleased => state,
        _ => throw new ArgumentException($"No evolve case for {@event.GetType().Name}", nameof(@event)),
    };
}

public enum ClaimOutcome
{
    /// <summary>Append an EmailReserved for the claimant.</summary>
    Reserve,

    /// <summary>The claimant already holds it (a retry after a crash): nothing to append.</summary>
    AlreadyHeld,

    /// <summary>Another account holds it.</summary>
    Taken,
}

public static class EmailReservationDecider
{
    public const string StreamPrefix = "email-";

    /// <summary>How long a reservation whose holder does not (yet) use the address stays protected.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>The reservation stream of an address, named by a keyed hash of it (stream names carry no personal data).</summary>
    public static string StreamFor(string addressHash) => StreamPrefix + addressHash;

    /// <summary>
    /// Decides a claim. <paramref name="holderEmail"/> looks up the address the holder's account uses now: a holder that
    /// never finished registering, or moved to another address and crashed before releasing this one, loses it once
    /// the grace period is over.
    /// </summary>
    public static async ValueTask<ClaimOutcome> Claim(
        ReservationState state, Guid claimant, string email, Func<Guid, ValueTask<string?>> holderEmail, DateTimeOffset now)
    {
        if (state.Holder is not { } holder)
        {
            return ClaimOutcome.Reserve;
        }
        if (holder == claimant)
        {
            return ClaimOutcome.AlreadyHeld;
        }
        var stale = now - state.Since > Grace && await holderEmail(holder) != email;
        return stale ? ClaimOutcome.Reserve : ClaimOutcome.Taken;
    }
}
