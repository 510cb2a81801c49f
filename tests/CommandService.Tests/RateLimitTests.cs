using System.Net.Http.Json;

namespace CommandService.Tests;

/// <summary>Commands are rate-limited per caller (the token's sub): 429 problem details with Retry-After beyond the limit.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly CommandApi _api = new()
    {
        Settings =
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:PermitLimit"] = "2",
            ["RateLimiting:Window"] = "01:00:00",
        },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static async Task<HttpResponseMessage> RegisterAsync(HttpClient client) =>
        await client.PostAsJsonAsync("/users", new { email = $"{Guid.NewGuid():N}@example.org", displayName = "Someone" });

    [Fact]
    public async Task A_caller_past_its_limit_gets_429_with_retry_after_while_others_go_on()
    {
        var busy = _api.CreateClient().WithToken(TestTokens.For("accounts.write accounts.read", Guid.NewGuid()));
        var other = _api.CreateClient().WithToken(TestTokens.For("accounts.write", Guid.NewGuid()));

        Assert.Equal(201, (int)(await RegisterAsync(busy)).StatusCode);
        Assert.Equal(201, (int)(await RegisterAsync(busy)).StatusCode);
        var refused = await RegisterAsync(busy);

        var problem = await refused.ProblemAsync(429);
        Assert.Equal("/problems/too-many-requests", problem.GetProperty("type").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Equal(201, (int)(await RegisterAsync(other)).StatusCode);
        Assert.Equal(404, (int)(await busy.GetAsync($"/users/{Guid.NewGuid()}/state")).StatusCode); // reads are not limited
    }
}
