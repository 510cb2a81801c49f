using System.Net.Http.Headers;

namespace QueryService.Tests;

/// <summary>Who may query: accounts.read anything, an account itself its own view, nobody without a valid token.</summary>
public sealed class AuthorizationTests(ApiOnInMemoryBus api) : IClassFixture<ApiOnInMemoryBus>
{
    private static readonly Guid Ada = Guid.NewGuid();

    private async Task<HttpResponseMessage> GetAsync(string? token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.Replace("{ada}", Ada.ToString(), StringComparison.Ordinal));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await api.CreateClient().WithoutToken().SendAsync(request);
    }

    [Theory]
    [InlineData("/users/{ada}")]
    [InlineData("/users")]
    [InlineData("/stats")]
    public async Task Without_a_token_every_query_is_401(string path) => await (await GetAsync(null, path)).ProblemAsync(401);

    [Fact]
    public async Task Health_answers_without_a_token() => Assert.Equal(200, (int)(await GetAsync(null, "/health/live")).StatusCode);

    [Theory]
    [InlineData("accounts.read", "/users/{ada}", true)]
    [InlineData("self", "/users/{ada}", true)]
    [InlineData("other", "/users/{ada}", false)]
    [InlineData("accounts.write", "/users/{ada}", false)]
    [InlineData("accounts.admin", "/users/{ada}", false)]
    [InlineData("accounts.read", "/users", true)]
    [InlineData("self", "/users", false)]
    [InlineData("accounts.write", "/users", false)]
    [InlineData("accounts.read", "/stats", true)]
    [InlineData("self", "/stats", false)]
    [InlineData("accounts.admin", "/stats", false)]
    [InlineData("accounts.admin", "/admin/rebuild", true)]
    [InlineData("accounts.read", "/admin/rebuild", false)]
    [InlineData("self", "/admin/rebuild", false)]
    [InlineData("accounts.admin", "/admin/progress", true)]
    [InlineData("accounts.write", "/admin/progress", false)]
    public async Task Scopes_and_self_service_decide_who_may_query(string caller, string path, bool allowed)
    {
        var response = await GetAsync(TestTokens.ForCaller(caller, Ada), path);
        if (allowed)
        {
            Assert.True((int)response.StatusCode is not (401 or 403), $"{caller} {path}: {(int)response.StatusCode}");
        }
        else
        {
            await response.ProblemAsync(403);
        }
    }
}
