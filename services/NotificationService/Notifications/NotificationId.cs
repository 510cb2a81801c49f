using System.Security.Cryptography;
using System.Text;

namespace NotificationService.Notifications;

/// <summary>
/// Deterministic notification ids: a name-based UUID (version 5, SHA-1, RFC 9562) of message id, kind and recipient, so a
/// redelivered or re-published message yields the same ids and is recorded once.
/// </summary>
public static class NotificationId
{
    /// <summary>The namespace of this service's notification ids (a fixed random UUID; never change it).</summary>
    private static readonly Guid Namespace = new("6f1c2a57-3d0e-4b8e-9a44-2c7d51e0b9f3");

    public static Guid For(Guid messageId, NotificationKind kind, string recipient)
    {
        var name = Encoding.UTF8.GetBytes($"{messageId:D}/{NotificationKindText.Of(kind)}/{recipient.ToLowerInvariant()}");
        var input = new byte[16 + name.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        name.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5 UUIDs; no security rests on it here.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
