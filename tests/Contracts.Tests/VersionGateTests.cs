namespace Accounts.Contracts.Tests;

/// <summary>
/// The version gate over a stored version held in memory, with a write that can be made to lose races: duplicates write
/// nothing, a gap throws, the next version is written, and a lost race means reading again.
/// </summary>
public sealed class VersionGateTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);
    private static readonly Guid Ada = Guid.NewGuid();

    private readonly List<long> _written = [];
    private Stored? _stored;
    private int _racesToLose;

    private sealed record Stored(long Version);

    private Task<(VersionGateOutcome Outcome, long StoredVersion)> Apply(long version) =>
        VersionGate.ApplyAsync(new UserRenamed(Ada, version, At, "Ada"), Read, stored => stored.Version, TryWrite, CancellationToken.None);

    private Task<Stored?> Read(Guid userId, CancellationToken cancellationToken) => Task.FromResult(_stored);

    private Task<bool> TryWrite(Stored? read, CancellationToken cancellationToken)
    {
        if (_racesToLose > 0)
        {
            _racesToLose--;
            _stored = new Stored((read?.Version ?? 0) + 1); // another instance wrote the same next version first
            return Task.FromResult(false);
        }
        _stored = new Stored((read?.Version ?? 0) + 1);
        _written.Add(_stored.Version);
        return Task.FromResult(true);
    }

    [Fact]
    public async Task The_next_version_is_written_and_applied()
    {
        _stored = new Stored(2);
        Assert.Equal((VersionGateOutcome.Applied, 2L), await Apply(3));
        Assert.Equal([3L], _written);
    }

    [Fact]
    public async Task The_first_version_applies_to_nothing_stored()
    {
        Assert.Equal((VersionGateOutcome.Applied, 0L), await Apply(1));
        Assert.Equal([1L], _written);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task A_version_at_or_below_the_stored_one_is_a_duplicate_and_writes_nothing(long version)
    {
        _stored = new Stored(2);
        Assert.Equal((VersionGateOutcome.Duplicate, 2L), await Apply(version));
        Assert.Empty(_written);
    }

    [Fact]
    public async Task A_version_past_the_next_one_is_a_gap_that_writes_nothing()
    {
        _stored = new Stored(1);
        var gap = await Assert.ThrowsAsync<MessageOutOfOrderException>(() => Apply(3));
        Assert.Equal((Ada, 3L, 1L), (gap.UserId, gap.MessageVersion, gap.StoredVersion));
        Assert.Contains("arrived before v2", gap.Message, StringComparison.Ordinal);
        Assert.Empty(_written);
    }

    [Fact]
    public async Task Losing_the_race_to_the_same_version_reads_again_and_finds_a_duplicate()
    {
        _stored = new Stored(1);
        _racesToLose = 1;
        Assert.Equal((VersionGateOutcome.Duplicate, 2L), await Apply(2));
        Assert.Empty(_written);
    }
}
