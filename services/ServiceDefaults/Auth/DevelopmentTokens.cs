using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ServiceDefaults.Auth;

/// <summary>
/// Mints the HS256 tokens the services accept when <c>Auth:SigningKey</c> is set: the one place tests, <c>make token</c>
/// and the benchmark get their tokens from. A real identity provider replaces all of this in production.
/// </summary>
public static class DevelopmentTokens
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>A new random signing key, base64 (what <c>make run</c> keeps under data/).</summary>
    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(AuthOptions.MinimumKeyBytes));

    public static SymmetricSecurityKey SecurityKey(byte[] keyBytes) => new(keyBytes) { KeyId = "accounts-dev" };

    /// <summary>A token for <paramref name="scopes"/> (space-separated in the <c>scope</c> claim) and, when given, a <c>sub</c>.</summary>
    public static string Mint(
        string signingKey, IEnumerable<string> scopes, string? subject = null,
        string issuer = AuthOptions.DevelopmentIssuer, string audience = AuthOptions.DefaultAudience,
        TimeSpan? lifetime = null, DateTimeOffset? now = null)
    {
        var options = new AuthOptions { SigningKey = signingKey };
        var key = options.SigningKeyBytes() ?? throw new ArgumentException("The signing key is not base64.", nameof(signingKey));
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new Dictionary<string, object> { ["scope"] = string.Join(' ', scopes) };
        if (!string.IsNullOrEmpty(subject))
        {
            claims["sub"] = subject;
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? DefaultLifetime),
            SigningCredentials = new SigningCredentials(SecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>How the services check a development token: signature (HS256 only), issuer, audience, lifetime.</summary>
    public static TokenValidationParameters ValidationParameters(AuthOptions auth) => new()
    {
        ValidIssuer = auth.Issuer,
        ValidAudience = auth.Audience,
        IssuerSigningKey = SecurityKey(auth.SigningKeyBytes() ?? throw new ArgumentException("Auth:SigningKey is not set.", nameof(auth))),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = "sub",
        ClockSkew = ClockSkew,
    };

    /// <summary>A token with every scope of the API (what the tests' clients and the benchmark send).</summary>
    public static string AllScopes(string signingKey, string? subject = null) => Mint(signingKey, Scopes.All, subject);
}
