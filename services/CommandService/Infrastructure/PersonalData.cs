using System.Security.Cryptography;
using System.Text;
using Accounts.Domain;

namespace CommandService.Infrastructure;

/// <summary>
/// The personal fields of the stored events (e-mail addresses, display names, the deactivation reason), sealed with the
/// account's data key: AES-256-GCM, a fresh 96-bit nonce per field, the account id as associated data (a sealed value
/// copied to another account does not open). Stored as <c>pd1:</c> + base64(nonce | tag | ciphertext). Without the key
/// (erased) a field reads as <see cref="Erased"/>.
/// </summary>
public static class PersonalData
{
    public const string Erased = "(erased)";
    private const string Marker = "pd1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static IUserEvent Seal(IUserEvent @event, byte[] key)
    {
        using var cipher = new Cipher(key);
        return MapFields(@event, field => Seal(field, cipher, @event.UserId));
    }

    public static IUserEvent Open(IUserEvent @event, byte[]? key)
    {
        using var cipher = key is null ? null : new Cipher(key);
        return MapFields(@event, field => Open(field, cipher, @event.UserId));
    }

    public static IReservationEvent Seal(IReservationEvent @event, byte[] key) => @event switch
    {
        EmailReserved e => e with { Email = Seal(e.Email, key, e.UserId) },
        EmailReleased e => e with { Email = Seal(e.Email, key, e.UserId) },
        _ => throw new ArgumentException($"No personal fields known for {@event.GetType().Name}", nameof(@event)),
    };

    /// <summary>Applies <paramref name="field"/> to every personal field of the event; an event type without a case is an error.</summary>
    public static IUserEvent MapFields(IUserEvent @event, Func<string, string> field) => @event switch
    {
        UserRegistered e => e with { Email = field(e.Email), DisplayName = field(e.DisplayName) },
        UserEmailChanged e => e with { OldEmail = field(e.OldEmail), NewEmail = field(e.NewEmail) },
        UserRenamed e => e with { OldDisplayName = field(e.OldDisplayName), DisplayName = field(e.DisplayName) },
        UserDeactivated e => e with { Reason = field(e.Reason) },
        UserReactivated or UserErased => @event,
        _ => throw new ArgumentException($"No personal fields known for {@event.GetType().Name}", nameof(@event)),
    };

    public static string Seal(string plain, byte[] key, Guid subject)
    {
        using var cipher = new Cipher(key);
        return Seal(plain, cipher, subject);
    }

    /// <summary>The plain text of a sealed field; <see cref="Erased"/> without a key; an unsealed (older) value as it is.</summary>
    public static string Open(string stored, byte[]? key, Guid subject)
    {
        using var cipher = key is null ? null : new Cipher(key);
        return Open(stored, cipher, subject);
    }

    private static string Seal(string plain, Cipher cipher, Guid subject)
    {
        var plainBytes = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[NonceSize + TagSize + plainBytes.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        cipher.Aes.Encrypt(nonce, plainBytes, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), subject.ToByteArray());
        return Marker + Convert.ToBase64String(sealedBytes);
    }

    private static string Open(string stored, Cipher? cipher, Guid subject)
    {
        if (!stored.StartsWith(Marker, StringComparison.Ordinal))
        {
            return stored;
        }
        if (cipher is null)
        {
            return Erased;
        }
        var sealedBytes = Convert.FromBase64String(stored[Marker.Length..]);
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        cipher.Aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain, subject.ToByteArray());
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The keyed hash (HMAC-SHA256, hex) that names an address's reservation stream.</summary>
    public static string AddressHash(string normalizedEmail, byte[] hashKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(hashKey, Encoding.UTF8.GetBytes(normalizedEmail)));

    /// <summary>
    /// One event's AES-GCM cipher, made on the first sealed field: setting up OpenSSL's context costs more than sealing a
    /// short field (a quarter of the feed's CPU went to it when each field made its own).
    /// </summary>
    private sealed class Cipher(byte[] key) : IDisposable
    {
        private AesGcm? _aes;

        public AesGcm Aes => _aes ??= new AesGcm(key, TagSize);

        public void Dispose() => _aes?.Dispose();
    }
}
