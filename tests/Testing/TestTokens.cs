using System.Net.Http.Headers;
using ServiceDefaults.Auth;

namespace Accounts.Testing;

/// <summary>
/// The signing key every test host is configured with (<see cref="Settings"/>) and the tokens its clients send: the shared
/// host helpers attach <see cref="AllScopes"/> to every client they create, so a test that is not about authorization
/// never thinks about it; authorization tests mint their own with <see cref="For"/>.
/// </summary>
public static class TestTokens
{
    /// <summary>A fixed test-only key (32 bytes): never used outside tests. <see cref="Settings"/> are what every test host gets.</summary>
    public const string SigningKey = "dGVzdC1vbmx5LXNpZ25pbmcta2V5LTMyLWJ5dGVzISE=";

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Auth:SigningKey"] = SigningKey,
        ["Auth:Authority"] = "",
        ["RateLimiting:Enabled"] = "false", // tests send bursts; the rate limit tests turn it on
    };

    /// <summary>Every scope of the API, no subject.</summary>
    public static string AllScopes { get; } = DevelopmentTokens.AllScopes(SigningKey);

    public static string For(string scopes, Guid? subject = null) =>
        DevelopmentTokens.Mint(SigningKey, scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), subject?.ToString());

    /// <summary>
    /// The token of a caller in an authorization matrix: <c>self</c> is a token without scopes whose <c>sub</c> is
    /// <paramref name="account"/>, <c>other</c> one for another account, <c>none</c> no token at all, anything else the scopes.
    /// </summary>
    public static string? ForCaller(string caller, Guid account) => caller switch
    {
        "none" => null,
        "self" => For("", account),
        "other" => For("", Guid.NewGuid()),
        _ => For(caller),
    };

    /// <summary>Sends <paramref name="token"/> (the all-scopes token by default) on every request of <paramref name="client"/>.</summary>
    public static HttpClient WithToken(this HttpClient client, string? token = null)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AllScopes);
        return client;
    }

    /// <summary>Removes the token: the client calls anonymously.</summary>
    public static HttpClient WithoutToken(this HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }
}
