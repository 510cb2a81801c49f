using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServiceDefaults.Auth;

/// <summary>
/// Sends a service's own calls to another service (gap repair reading the command service's feed) with an operator token
/// minted from the development signing key, renewed well before it expires. With an identity provider (<c>Auth:Authority</c>)
/// no token is minted here: such a deployment gives the client a token of its own (client credentials), or the call
/// answers 401 and the message takes the error-queue path it took before the feed existed.
/// </summary>
public sealed class ServiceTokenHandler(IOptions<AuthOptions> auth, TimeProvider clock) : DelegatingHandler
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private Minted? _current;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (auth.Value.SigningKey is { Length: > 0 } key && request.Headers.Authorization is null)
        {
            var now = clock.GetUtcNow();
            var current = _current;
            if (current is null || now >= current.RenewAt)
            {
                var options = auth.Value;
                _current = current = new Minted(
                    DevelopmentTokens.Mint(key, [Scopes.Admin], null, options.Issuer, options.Audience, Lifetime, now), now + (Lifetime / 2));
            }
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.Token);
        }
        return base.SendAsync(request, cancellationToken);
    }

    private sealed record Minted(string Token, DateTimeOffset RenewAt);
}

public static class ServiceTokenRegistrations
{
    /// <summary>The client's calls carry the service's operator token (<see cref="ServiceTokenHandler"/>).</summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Services.AddTransient<ServiceTokenHandler>();
        return client.AddHttpMessageHandler<ServiceTokenHandler>();
    }
}
