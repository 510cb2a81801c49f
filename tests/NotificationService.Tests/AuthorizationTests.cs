using System.Net.Http.Headers;
using Accounts.Testing;

namespace NotificationService.Tests;

/// <summary>Who may read an account's notifications: accounts.read, or the account itself; nobody without a valid token.</summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private static readonly Guid Ada = Guid.NewGuid();
    private readonly NotificationApi _api = new();

    public Task InitializeAsync()
    {
        _ = _api.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/users/{Ada}/notifications");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await _api.CreateClient().WithoutToken().SendAsync(request);
    }

    [Theory]
    [InlineData("none", 401)]
    [InlineData("accounts.read", 200)]
    [InlineData("self", 200)]
    [InlineData("other", 403)]
    [InlineData("accounts.write", 403)]
    [InlineData("accounts.admin", 403)]
    public async Task Scopes_and_self_service_decide_who_may_read_notifications(string caller, int status)
    {
        var response = await GetAsync(TestTokens.ForCaller(caller, Ada));
        Assert.Equal(status, (int)response.StatusCode);
        if (status != 200)
        {
            await response.ProblemAsync(status);
        }
    }
}
