using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;
using ServiceDefaults.Auth;

namespace Accounts.Benchmark;

/// <summary>What validating the bearer token costs each request: the services' own validation parameters, one thread.</summary>
public static class TokenValidationCost
{
    public const int Iterations = 20_000;

    /// <summary>Microseconds per validation of an all-scopes development token signed with <paramref name="signingKey"/>.</summary>
    public static double Measure(string signingKey)
    {
        var parameters = DevelopmentTokens.ValidationParameters(new AuthOptions { SigningKey = signingKey });
        var token = DevelopmentTokens.AllScopes(signingKey);
        var handler = new JsonWebTokenHandler();
        for (var i = 0; i < 1_000; i++)
        {
            Validate(handler, token, parameters);
        }
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Iterations; i++)
        {
            Validate(handler, token, parameters);
        }
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / Iterations;
    }

    private static void Validate(JsonWebTokenHandler handler, string token, Microsoft.IdentityModel.Tokens.TokenValidationParameters parameters)
    {
        var result = handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"The benchmark's own token does not validate: {result.Exception?.Message}");
        }
    }
}
