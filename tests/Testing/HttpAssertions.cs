using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Accounts.Testing;

/// <summary>Status and body checks the HTTP tests of every service share.</summary>
public static class HttpAssertions
{
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
