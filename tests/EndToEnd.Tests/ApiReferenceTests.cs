using System.Text.Json;

namespace EndToEnd.Tests;

/// <summary>Every service serves its OpenAPI document as a browsable page; the single-process host serves one per service.</summary>
public sealed class ApiReferenceTests
{
    [Fact]
    public async Task Each_service_alone_serves_its_reference_page_over_its_document()
    {
        await using var command = new ServiceHost<CommandService.Program>("command-page", new Dictionary<string, string?>());
        await using var query = new ServiceHost<QueryService.Program>("query-page", new Dictionary<string, string?>());
        await using var notification = new ServiceHost<NotificationService.Program>("notification-page", new Dictionary<string, string?>());

        await AssertPageAsync(command.CreateClient(), "v1", "/users/{id}/state");
        await AssertPageAsync(query.CreateClient(), "v1", "/stats");
        await AssertPageAsync(notification.CreateClient(), "v1", "/users/{id}/notifications");
    }

    [Fact]
    public async Task The_single_process_host_serves_one_page_per_service_each_with_its_own_routes()
    {
        await using var host = new ServiceHost<SingleProcessHost.Program>("single-pages", new Dictionary<string, string?>());
        var client = host.CreateClient();

        var command = await AssertPageAsync(client, "command", "/users/{id}/history");
        var query = await AssertPageAsync(client, "query", "/stats");
        var notification = await AssertPageAsync(client, "notification", "/users/{id}/notifications");

        Assert.False(command.GetProperty("paths").TryGetProperty("/stats", out _), "the command page lists the query service's /stats");
        Assert.False(query.GetProperty("paths").TryGetProperty("/users/{id}/history", out _), "the query page lists the command service's routes");
        Assert.Single(notification.GetProperty("paths").EnumerateObject());
    }

    [Fact]
    public async Task The_registration_request_carries_an_example_body()
    {
        await using var host = new ServiceHost<CommandService.Program>("command-example", new Dictionary<string, string?>());
        var document = await host.CreateClient().JsonAsync("/openapi/v1.json");

        var example = document.GetProperty("components").GetProperty("schemas").GetProperty("RegisterUserRequest").GetProperty("examples")[0];
        Assert.Equal("ada@example.org", example.GetProperty("email").GetString());
        Assert.Equal("Ada Lovelace", example.GetProperty("displayName").GetString());
    }

    /// <summary>The page is HTML that loads the document; the document answers and lists <paramref name="path"/>.</summary>
    private static async Task<JsonElement> AssertPageAsync(HttpClient client, string document, string path)
    {
        var page = await client.GetAsync($"/scalar/{document}");
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"openapi/{document}.json", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var script = await client.GetAsync("/scalar/scalar.js");
        Assert.Equal(200, (int)script.StatusCode);

        var json = await client.JsonAsync($"/openapi/{document}.json");
        Assert.True(json.GetProperty("paths").TryGetProperty(path, out _), $"{path} is missing from /openapi/{document}.json");
        return json;
    }
}
