using System.Net.Http.Json;
using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>The few HTTP calls the end-to-end tests make, against whichever host serves them.</summary>
public static class Http
{
    public static async Task<JsonElement> RegisterAsync(this HttpClient command, Guid id, string email, string name)
    {
        var response = await command.PostAsJsonAsync("/users", new { id, email, displayName = name });
        Assert.Equal(201, (int)response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<long> PostAsync(this HttpClient command, string path, object body)
    {
        var response = await command.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
    }

    /// <summary>Read-your-writes: the query service answers once its view reached the version (or 409 after its time-out).</summary>
    public static async Task<JsonElement> ViewAtAsync(this HttpClient query, Guid id, long version)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await query.GetAsync($"/users/{id}?minVersion={version}");
            if ((int)response.StatusCode == 200 || attempt == 5)
            {
                Assert.Equal(200, (int)response.StatusCode);
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }
        }
    }

    public static async Task<JsonElement> JsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<JsonElement> EventuallyAsync(this HttpClient client, string path, Func<JsonElement, bool> done, TimeSpan? timeout = null) =>
        Eventually.UntilAsync($"GET {path} to answer as expected", () => client.JsonAsync(path), done, timeout);
}
