namespace EventStore;

/// <summary>
/// The key store port: one data key per subject (an account), kept apart from the events it protects. Destroying a key
/// is final and remembered, so personal data encrypted with it can never be read again (crypto-shredding) and no new key
/// is ever made for that subject.
/// </summary>
public interface IKeyStore
{
    /// <summary>The subject's key, a new random one when it has none; <see cref="DataKey.Destroyed"/> when it was destroyed.</summary>
    Task<DataKey> GetOrCreateAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>The subject's key, <see cref="DataKey.Missing"/> or <see cref="DataKey.Destroyed"/>, never creating one.</summary>
    Task<DataKey> FindAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>Destroys the subject's key for good (idempotent; a subject without a key is marked destroyed too).</summary>
    Task DestroyAsync(string subject, CancellationToken cancellationToken = default);
}

public enum DataKeyStatus
{
    Missing,
    Live,
    Destroyed,
}

/// <summary>A subject's data key: its bytes (256 bits) while live.</summary>
public sealed record DataKey(DataKeyStatus Status, byte[]? Bytes)
{
    public const int Size = 32;

    public static readonly DataKey Missing = new(DataKeyStatus.Missing, null);

    public static readonly DataKey Destroyed = new(DataKeyStatus.Destroyed, null);

    public static DataKey Live(byte[] bytes) =>
        bytes.Length == Size ? new(DataKeyStatus.Live, bytes) : throw new ArgumentException($"A data key has {Size} bytes.", nameof(bytes));

    public static DataKey NewRandom() => Live(System.Security.Cryptography.RandomNumberGenerator.GetBytes(Size));
}
