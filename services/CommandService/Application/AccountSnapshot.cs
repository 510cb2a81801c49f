using Accounts.Domain;
using EventStore;

namespace CommandService.Application;

/// <summary>
/// An account as a command decides on it: the fold of its stream up to <see cref="Revision"/> (null: no stream yet),
/// plus what a repeated command answers with (the registration and the positions of the first and last event). It is
/// exact for that revision; whether the stream is still there is for the append's expected revision to say.
/// </summary>
public sealed record AccountSnapshot(UserState State, long? Revision, UserRegistered? Registration, ulong FirstPosition, ulong LastPosition)
{
    /// <summary>An account whose stream does not exist.</summary>
    public static AccountSnapshot None { get; } = new(UserState.Initial, null, null, 0, 0);

    /// <summary>The snapshot of a stream as read (its events with their personal fields opened).</summary>
    public static AccountSnapshot Of(IReadOnlyList<StoredEvent> stored, IReadOnlyList<IUserEvent> events) =>
        stored.Count == 0
            ? None
            : new(UserState.Fold(events), stored[^1].Revision, events[0] as UserRegistered, stored[0].Position, stored[^1].Position);

    /// <summary>The snapshot once <paramref name="events"/> were appended at this revision; null when not known exactly.</summary>
    public AccountSnapshot? After(IReadOnlyList<IUserEvent> events, AppendResult appended)
    {
        if (Revision is null && events.Count != 1)
        {
            return null; // the first event's position is not in the append's result
        }
        return new(events.Aggregate(State, UserState.Evolve), appended.Revision, Registration ?? events[0] as UserRegistered,
            Revision is null ? appended.Position : FirstPosition, appended.Position);
    }
}

/// <summary>An address's reservation stream folded up to <see cref="Revision"/> (null: no stream yet).</summary>
public sealed record ReservationSnapshot(ReservationState State, long? Revision)
{
    /// <summary>An address nobody ever reserved.</summary>
    public static ReservationSnapshot None { get; } = new(ReservationState.Free, null);
}
