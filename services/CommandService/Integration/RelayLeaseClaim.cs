namespace CommandService.Integration;

/// <summary>One write to the relay's lease stream: <paramref name="Holder"/> relays until <paramref name="ExpiresAt"/> unless it renews.</summary>
public sealed record RelayLeaseClaim(string Holder, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// May <paramref name="holder"/> write a claim now? When nobody ever held the lease, when the last claim expired, or to
    /// renew its own. Whether it then holds the lease is the append's to say: it expects the revision the claim was read at.
    /// </summary>
    public static bool MayClaim(RelayLeaseClaim? current, string holder, DateTimeOffset now) =>
        current is null || current.Holder == holder || current.ExpiresAt <= now;
}
