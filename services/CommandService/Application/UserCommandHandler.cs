using System.Diagnostics;
using Accounts.Domain;
using CommandService.Infrastructure;
using EventStore;

namespace CommandService.Application;

/// <summary>
/// Runs one command: load the account's stream, fold it, decide, claim a new e-mail address, append with the expected
/// revision, release the old address. The decisions are the domain's; this class only does the I/O around them.
/// </summary>
public sealed class UserCommandHandler(IEventStore store, AccountKeys keys, TimeProvider clock, ILogger<UserCommandHandler> logger)
{
    private const int ClaimAttempts = 3;

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
        var stream = UserStreams.For(command.UserId);
        var (history, events) = await keys.ReadAccountAsync(command.UserId, cancellationToken: cancellationToken);
        var state = UserState.Fold(events);

        if (command is RegisterUser register && events is [UserRegistered first, ..] && UserDecider.Repeats(first, register))
        {
            return new CommandOutcome.Accepted(command.UserId, 1, history[0].Position);
        }
        if (command is EraseUser && state.Status == UserStatus.Erased)
        {
            await keys.DestroyAsync(command.UserId, cancellationToken); // a retry finishes what a crash interrupted
            return new CommandOutcome.Accepted(command.UserId, state.Version, history[^1].Position);
        }
        if (ifMatch is { } expected && state.Exists && !expected.Contains(state.Version))
        {
            return new CommandOutcome.StaleVersion(expected, state.Version);
        }
        var decision = UserDecider.Decide(state, command, clock);
        if (decision.Rejection is { } rejection)
        {
            return new CommandOutcome.Rejected(rejection);
        }

        var metadata = new EventMetadata(
            correlationId ?? Guid.CreateVersion7(), Guid.CreateVersion7(),
            Activity.Current?.Id, Activity.Current?.TraceStateString, clock.GetUtcNow());
        var key = await keys.ForWriteAsync(command.UserId, cancellationToken)
            ?? throw new InvalidOperationException($"The data key of user {command.UserId} was destroyed.");
        var claimed = ClaimedAddress(decision.Events[0]);
        try
        {
            if (claimed is not null && await ClaimAsync(claimed, command.UserId, key, metadata, cancellationToken) is { } taken)
            {
                return new CommandOutcome.Rejected(taken);
            }
        }
        catch (WrongExpectedRevisionException conflict)
        {
            return new CommandOutcome.ConcurrentWrite(conflict.Message); // the address changed hands on every attempt
        }

        AppendResult appended;
        try
        {
            var data = decision.Events.Select(e => UserStreams.ToEventData(PersonalData.Seal(e, key), metadata)).ToList();
            appended = await store.AppendAsync(stream, ExpectedRevision.After(history.Count > 0 ? history[^1].Revision : null), data, cancellationToken);
        }
        catch (WrongExpectedRevisionException conflict)
        {
            if (claimed is not null)
            {
                await ReleaseAsync(claimed, command.UserId, key, metadata, CancellationToken.None);
            }
            return new CommandOutcome.ConcurrentWrite(conflict.Message);
        }

        if (decision.Events[0] is UserErased)
        {
            await EraseAsync(state.Email, command.UserId, key, metadata);
        }
        if (decision.Events[0] is UserEmailChanged changed)
        {
            try
            {
                await ReleaseAsync(changed.OldEmail, command.UserId, key, metadata, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The change stands; the old address frees itself once its reservation is stale (see EmailReservationDecider).
                logger.LogWarning(e, "Could not release the old address of user {UserId} after a change of e-mail", command.UserId);
            }
        }
        return new CommandOutcome.Accepted(command.UserId, appended.Revision + 1, appended.Position);
    }

    /// <summary>Frees the erased account's address for others, then destroys its key: its personal data is unreadable from now on.</summary>
    private async Task EraseAsync(string email, Guid userId, byte[] key, EventMetadata metadata)
    {
        try
        {
            await ReleaseAsync(email, userId, key, metadata, CancellationToken.None);
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

    /// <summary>Reserves the address for the user, or says who has it. Null when the user holds it now.</summary>
    private async Task<Rejection?> ClaimAsync(string email, Guid userId, byte[] key, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var stream = await keys.ReservationStreamAsync(email);
        for (var attempt = 1; ; attempt++)
        {
            var history = await store.ReadStreamAsync(stream, cancellationToken: cancellationToken);
            var state = history.Select(UserStreams.ToReservationEvent).Aggregate(ReservationState.Free, ReservationState.Evolve);
            var outcome = await EmailReservationDecider.Claim(state, userId, email, HolderEmailAsync, clock.GetUtcNow());
            if (outcome == ClaimOutcome.AlreadyHeld)
            {
                return null;
            }
            if (outcome == ClaimOutcome.Taken)
            {
                return new Rejection(Rule.EmailTaken, $"The e-mail address {email} belongs to another account.");
            }
            try
            {
                var reserved = UserStreams.ToEventData(PersonalData.Seal(new EmailReserved(userId, email, clock.GetUtcNow()), key), metadata);
                await store.AppendAsync(stream, ExpectedRevision.After(history.Count > 0 ? history[^1].Revision : null), [reserved], cancellationToken);
                return null;
            }
            catch (WrongExpectedRevisionException) when (attempt < ClaimAttempts)
            {
                // Someone else claimed or released it meanwhile: decide again on the new state.
            }
        }

        async ValueTask<string?> HolderEmailAsync(Guid holder)
        {
            var (_, events) = await keys.ReadAccountAsync(holder, cancellationToken: cancellationToken);
            return events.Count == 0 ? null : UserState.Fold(events).Email;
        }
    }

    private async Task ReleaseAsync(string email, Guid userId, byte[] key, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var released = UserStreams.ToEventData(PersonalData.Seal(new EmailReleased(userId, email, clock.GetUtcNow()), key), metadata);
        await store.AppendAsync(await keys.ReservationStreamAsync(email), ExpectedRevision.StreamExists, [released], cancellationToken);
    }
}
