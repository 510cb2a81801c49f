using System.Net.Http.Headers;
using System.Net.Http.Json;
using ServiceDefaults.Auth;

namespace CommandService.Tests;

/// <summary>Who may call the command service: tokens that are not valid are 401, scopes and self-service decide 403.</summary>
public sealed class AuthorizationTests(ApiWithRegisteredUser api) : IClassFixture<ApiWithRegisteredUser>
{
    private async Task<HttpResponseMessage> SendAsync(string? token, HttpMethod method, string path, object? body = null)
    {
        var client = api.CreateClient().WithoutToken();
        using var request = new HttpRequestMessage(method, path.Replace("{ada}", api.Ada.ToString(), StringComparison.Ordinal))
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.SendAsync(request);
    }

    public static TheoryData<string, string> InvalidTokens() => new()
    {
        { "no token", "" },
        { "bad signature", DevelopmentTokens.AllScopes(DevelopmentTokens.NewSigningKey()) },
        { "expired", DevelopmentTokens.Mint(TestTokens.SigningKey, Scopes.All, now: DateTimeOffset.UtcNow.AddDays(-1), lifetime: TimeSpan.FromHours(1)) },
        { "wrong audience", DevelopmentTokens.Mint(TestTokens.SigningKey, Scopes.All, audience: "someone-else") },
        { "wrong issuer", DevelopmentTokens.Mint(TestTokens.SigningKey, Scopes.All, issuer: "someone-else") },
        { "not a token", "not-a-jwt" },
    };

    [Theory]
    [MemberData(nameof(InvalidTokens))]
    public async Task A_request_without_a_valid_token_is_401_problem_details(string why, string token)
    {
        var response = await SendAsync(token.Length == 0 ? null : token, HttpMethod.Get, "/users/{ada}/state");
        var problem = await response.ProblemAsync(401);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.True(response.Headers.WwwAuthenticate.Any(header => header.Scheme == "Bearer"), $"{why}: no Bearer challenge");
    }

    [Fact]
    public async Task Health_and_the_api_description_answer_without_a_token()
    {
        Assert.Equal(200, (int)(await SendAsync(null, HttpMethod.Get, "/health/live")).StatusCode);
        Assert.Equal(200, (int)(await SendAsync(null, HttpMethod.Get, "/health/ready")).StatusCode);
        Assert.Equal(200, (int)(await SendAsync(null, HttpMethod.Get, "/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task The_admin_scope_and_the_account_itself_may_erase_it()
    {
        foreach (var caller in new[] { "accounts.admin", "self" })
        {
            var id = Guid.CreateVersion7();
            (await api.RegisterAsync(id, $"{id:N}@example.org")).EnsureSuccessStatusCode();
            var token = caller == "self" ? TestTokens.For("", id) : TestTokens.For(caller);
            Assert.Equal(200, (int)(await SendAsync(token, HttpMethod.Delete, $"/users/{id}")).StatusCode);
        }
    }

    [Theory]
    [InlineData("accounts.write", "POST", "/users", true)]
    [InlineData("accounts.read", "POST", "/users", false)]
    [InlineData("accounts.admin", "POST", "/users", false)]
    [InlineData("self", "POST", "/users", false)]
    [InlineData("accounts.write", "POST", "/users/{ada}/email", true)]
    [InlineData("accounts.read", "POST", "/users/{ada}/email", false)]
    [InlineData("self", "POST", "/users/{ada}/email", true)]
    [InlineData("other", "POST", "/users/{ada}/email", false)]
    [InlineData("accounts.write", "POST", "/users/{ada}/name", true)]
    [InlineData("accounts.admin", "POST", "/users/{ada}/name", false)]
    [InlineData("self", "POST", "/users/{ada}/name", true)]
    [InlineData("other", "POST", "/users/{ada}/name", false)]
    [InlineData("accounts.write", "POST", "/users/{ada}/reactivate", true)]
    [InlineData("accounts.read", "POST", "/users/{ada}/deactivate", false)]
    [InlineData("self", "POST", "/users/{ada}/deactivate", false)]
    [InlineData("self", "POST", "/users/{ada}/reactivate", false)]
    [InlineData("accounts.read", "GET", "/users/{ada}/state", true)]
    [InlineData("accounts.write", "GET", "/users/{ada}/state", false)]
    [InlineData("accounts.admin", "GET", "/users/{ada}/state", false)]
    [InlineData("self", "GET", "/users/{ada}/state", true)]
    [InlineData("other", "GET", "/users/{ada}/state", false)]
    [InlineData("accounts.write", "DELETE", "/users/{ada}", false)]
    [InlineData("accounts.read", "DELETE", "/users/{ada}", false)]
    [InlineData("other", "DELETE", "/users/{ada}", false)]
    [InlineData("accounts.read", "GET", "/users/{ada}/history", true)]
    [InlineData("self", "GET", "/users/{ada}/history", true)]
    [InlineData("other", "GET", "/users/{ada}/history", false)]
    public async Task Scopes_and_self_service_decide_who_may_call_each_endpoint(string caller, string method, string path, bool allowed)
    {
        var response = await SendAsync(TestTokens.ForCaller(caller, api.Ada), new HttpMethod(method), path, BodyFor(path));
        if (allowed)
        {
            Assert.True((int)response.StatusCode is not (401 or 403), $"{caller} {method} {path}: {(int)response.StatusCode}");
        }
        else
        {
            var problem = await response.ProblemAsync(403);
            Assert.DoesNotContain("@", problem.ToString(), StringComparison.Ordinal);
        }
    }

    private static object? BodyFor(string path) => path switch
    {
        "/users" => new { email = $"{Guid.NewGuid():N}@example.org", displayName = "Someone" },
        _ when path.EndsWith("/email", StringComparison.Ordinal) => new { email = $"{Guid.NewGuid():N}@example.org" },
        _ when path.EndsWith("/name", StringComparison.Ordinal) => new { displayName = "Ada Renamed" },
        _ when path.EndsWith("/deactivate", StringComparison.Ordinal) => new { reason = "asked" },
        _ => null,
    };
}
