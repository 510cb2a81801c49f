using System.Diagnostics;
using Accounts.Domain;
using CommandService.Infrastructure;
using EventStore;

namespace CommandService.Application;

/// <summary>
/// Runs one command: take the account's state, decide, claim a new e-mail address, append with the expected revision,
/// release the old address. The decisions are the domain's; this class only does the I/O around them. The state is the
/// one this instance last read or wrote (<see cref="AccountCache"/>; for a registration of an unknown id, no account),
/// so the common command reads nothing; it stands only if the append finds the stream still at that revision. Any
/// other answer (a conflict, a rejection, a stale If-Match, a repeat) is given from a fresh read of the stream, as if
/// nothing had been remembered.
/// </summary>
public sealed class UserCommandHandler(
    IEventStore store, AccountKeys keys, EmailReservations reservations, AccountCache cache, TimeProvider clock, ILogger<UserCommandHandler> logger)
{
    /// <param name="ifMatch">The versions the caller's If-Match accepts; null when it set no precondition.</param>
    public async Task<CommandOutcome> HandleAsync(
        UserCommand command, IReadOnlyCollection<long>? ifMatch, Guid? correlationId, CancellationToken cancellationToken)
    {
        var outcome = await DecideAndAppendAsync(command, ifMatch, correlationId, cancellationToken);
        CommandMetrics.Handled(command.GetType().Name, outcome switch
        {
            CommandOutcome.Rejected r => r.Rejection.Rule.ToString(),
            _ => outcome.GetType().Name,
        });
        return outcome;
    }

    private async Task<CommandOutcome> DecideAndAppendAsync(
        UserCommand command, IReadOnlyCollection<long>? ifMatch, Guid? correlationId, CancellationToken cancellationToken)
    {
        if (UserDecider.Validate(command) is { } invalid)
        {
            return new CommandOutcome.Rejected(invalid);
        }
        if ((cache.Account(command.UserId) ?? (command is RegisterUser ? AccountSnapshot.None : null)) is { } remembered)
        {
            var (outcome, appended) = await DecideOnAsync(remembered, fresh: false, command, ifMatch, correlationId, cancellationToken);
            if (appended)
            {
                return outcome;
            }
            cache.Forget(command.UserId);
        }
        var (stored, events) = await keys.ReadAccountAsync(command.UserId, cancellationToken: cancellationToken);
        var snapshot = AccountSnapshot.Of(stored, events);
        if (stored.Count > 0)
        {
            cache.Remember(command.UserId, snapshot);
        }
        return (await DecideOnAsync(snapshot, fresh: true, command, ifMatch, correlationId, cancellationToken)).Outcome;
    }

    /// <summary>Decides on <paramref name="account"/> and appends; Appended says whether this answer rests on an append.</summary>
    private async Task<(CommandOutcome Outcome, bool Appended)> DecideOnAsync(
        AccountSnapshot account, bool fresh, UserCommand command, IReadOnlyCollection<long>? ifMatch, Guid? correlationId,
        CancellationToken cancellationToken)
    {
        var (state, userId) = (account.State, command.UserId);
        if (command is RegisterUser register && account.Registration is { } first && UserDecider.Repeats(first, register))
        {
            return (new CommandOutcome.Accepted(userId, 1, account.FirstPosition), false);
        }
        if (command is EraseUser && state.Status == UserStatus.Erased)
        {
            if (fresh)
            {
                await keys.DestroyAsync(userId, cancellationToken); // a retry finishes what a crash interrupted
            }
            return (new CommandOutcome.Accepted(userId, state.Version, account.LastPosition), false);
        }
        if (ifMatch is { } expected && state.Exists && !expected.Contains(state.Version))
        {
            return (new CommandOutcome.StaleVersion(expected, state.Version), false);
        }
        var decision = UserDecider.Decide(state, command, clock);
        if (decision.Rejection is { } rejection)
        {
            return (new CommandOutcome.Rejected(rejection), false);
        }

        var metadata = new EventMetadata(
            correlationId ?? Guid.CreateVersion7(), Guid.CreateVersion7(),
            Activity.Current?.Id, Activity.Current?.TraceStateString, clock.GetUtcNow());
        if (await keys.ForWriteAsync(userId, cancellationToken) is not { } key)
        {
            return fresh
                ? throw new InvalidOperationException($"The data key of user {userId} was destroyed.")
                : (new CommandOutcome.ConcurrentWrite($"User {userId} was erased meanwhile."), false); // decided again on a fresh read
        }
        var claimed = ClaimedAddress(decision.Events[0]);
        ClaimOutcome? claim = null;
        try
        {
            if (claimed is not null && (claim = await reservations.ClaimAsync(claimed, userId, key, metadata, cancellationToken)) == ClaimOutcome.Taken)
            {
                return (new CommandOutcome.Rejected(new Rejection(Rule.EmailTaken, $"The e-mail address {claimed} belongs to another account.")), false);
            }
        }
        catch (WrongExpectedRevisionException conflict)
        {
            return (new CommandOutcome.ConcurrentWrite(conflict.Message), false); // the address changed hands on every attempt
        }

        AppendResult appended;
        try
        {
            var data = decision.Events.Select(e => UserStreams.ToEventData(PersonalData.Seal(e, key), metadata)).ToList();
            appended = await store.AppendAsync(UserStreams.For(userId), ExpectedRevision.After(account.Revision), data, cancellationToken);
        }
        catch (WrongExpectedRevisionException conflict)
        {
            cache.Forget(userId);
            if (claim == ClaimOutcome.Reserve)
            {
                await reservations.ReleaseAsync(claimed!, userId, key, metadata, CancellationToken.None); // reserved for nothing
            }
            return (new CommandOutcome.ConcurrentWrite(conflict.Message), false);
        }

        if (decision.Events[0] is UserErased)
        {
            await EraseAsync(state.Email, userId, key, metadata);
        }
        else
        {
            cache.Remember(userId, account.After(decision.Events, appended));
        }
        if (decision.Events[0] is UserEmailChanged changed)
        {
            try
            {
                await reservations.ReleaseAsync(changed.OldEmail, userId, key, metadata, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The change stands; the old address frees itself once its reservation is stale (see EmailReservationDecider).
                logger.LogWarning(e, "Could not release the old address of user {UserId} after a change of e-mail", userId);
            }
        }
        return (new CommandOutcome.Accepted(userId, appended.Revision + 1, appended.Position), true);
    }

    /// <summary>Frees the erased account's address for others, then destroys its key: its personal data is unreadable from now on.</summary>
    private async Task EraseAsync(string email, Guid userId, byte[] key, EventMetadata metadata)
    {
        try
        {
            await reservations.ReleaseAsync(email, userId, key, metadata, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not release the address of erased user {UserId}; it frees itself after the grace period", userId);
        }
        await keys.DestroyAsync(userId, CancellationToken.None);
        logger.LogInformation("User {UserId} erased: data key destroyed", userId);
    }

    private static string? ClaimedAddress(IUserEvent @event) => @event switch
    {
        UserRegistered e => e.Email,
        UserEmailChanged e => e.NewEmail,
        _ => null,
    };
}
