using System.Security.Claims;

namespace ServiceDefaults.Auth;

/// <summary>
/// The OAuth 2 scopes of this API and what a caller holds: the <c>scope</c> claim is space-separated (some providers send
/// one claim per scope, or call it <c>scp</c>); <c>sub</c> is who the caller is, for self-service an account id.
/// </summary>
public static class Scopes
{
    public const string Write = "accounts.write";
    public const string Read = "accounts.read";
    public const string Admin = "accounts.admin";

    public static readonly IReadOnlyList<string> All = [Read, Write, Admin];

    public static bool Has(this ClaimsPrincipal user, string scope) =>
        user.Claims.Any(claim => claim.Type is "scope" or "scp" && claim.Value.Split(' ').Contains(scope, StringComparer.Ordinal));

    /// <summary>The caller's <c>sub</c> (or, for a client-credentials token without one, its <c>client_id</c>/<c>azp</c>).</summary>
    public static string? Caller(this ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value ?? user.FindFirst("client_id")?.Value ?? user.FindFirst("azp")?.Value;

    /// <summary>True when the caller's <c>sub</c> is the account id <paramref name="routeId"/> names.</summary>
    public static bool IsAccount(this ClaimsPrincipal user, object? routeId) =>
        Guid.TryParse(user.FindFirst("sub")?.Value, out var subject)
        && Guid.TryParse(routeId as string, out var account)
        && subject == account;
}
