using Accounts.Domain;

namespace CommandService.Application;

/// <summary>What became of a command: each case maps to one HTTP answer.</summary>
public abstract record CommandOutcome
{
    private CommandOutcome()
    {
    }

    /// <summary>Appended (or, for a repeated registration, appended earlier): the account's new version and log position.</summary>
    public sealed record Accepted(Guid UserId, long Version, ulong Position) : CommandOutcome;

    /// <summary>A domain rule said no.</summary>
    public sealed record Rejected(Rejection Rejection) : CommandOutcome;

    /// <summary>None of the caller's If-Match versions is the account's current version.</summary>
    public sealed record StaleVersion(IReadOnlyCollection<long> Expected, long Current) : CommandOutcome;

    /// <summary>Another writer changed the account between our read and our append.</summary>
    public sealed record ConcurrentWrite(string Detail) : CommandOutcome;
}
