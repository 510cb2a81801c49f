using System.ComponentModel.DataAnnotations;

namespace ServiceDefaults.Auth;

/// <summary>
/// Who issues the bearer tokens the services accept (section <c>Auth</c>). Production: <see cref="Authority"/>, any
/// OpenID Connect provider (its discovery document gives the signing keys). Development and tests: <see cref="SigningKey"/>,
/// a shared HS256 key, with <see cref="Issuer"/>. Exactly one of the two.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";
    public const string DevelopmentIssuer = "accounts-dev";
    public const string DefaultAudience = "accounts";
    public const int MinimumKeyBytes = 32;

    /// <summary>The OpenID Connect provider (e.g. https://login.example.com/realms/accounts).</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> every token must carry.</summary>
    [Required]
    public string Audience { get; set; } = DefaultAudience;

    /// <summary>Base64 of at least 32 random bytes: the HS256 key development tokens are signed with.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The <c>iss</c> development tokens carry (with <see cref="SigningKey"/> only).</summary>
    [Required]
    public string Issuer { get; set; } = DevelopmentIssuer;

    /// <summary>Whether the authority's metadata must come over HTTPS (turn off only for a local provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The signing key's bytes, or null when none is configured (or it is not base64).</summary>
    public byte[]? SigningKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            return null;
        }
        var buffer = new byte[SigningKey.Length];
        return Convert.TryFromBase64String(SigningKey.Trim(), buffer, out var written) ? buffer[..written] : null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasAuthority = !string.IsNullOrWhiteSpace(Authority);
        var hasKey = !string.IsNullOrWhiteSpace(SigningKey);
        if (hasAuthority == hasKey)
        {
            yield return new ValidationResult(
                "Set either Auth:Authority (an OpenID Connect provider) or Auth:SigningKey (development tokens), not both and not neither.",
                [nameof(Authority), nameof(SigningKey)]);
        }
        else if (hasKey && SigningKeyBytes() is not { Length: >= MinimumKeyBytes })
        {
            yield return new ValidationResult(
                $"Auth:SigningKey must be base64 of at least {MinimumKeyBytes} bytes (e.g. `head -c 32 /dev/urandom | base64`).", [nameof(SigningKey)]);
        }
    }
}
