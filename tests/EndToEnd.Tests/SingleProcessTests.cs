namespace EndToEnd.Tests;

/// <summary>`make run`: the three services as modules of one process, in-memory transport, Avro still on the wire.</summary>
public sealed class SingleProcessTests : IAsyncLifetime
{
    private readonly ServiceHost<SingleProcessHost.Program> _host = new("single", new Dictionary<string, string?>());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_registration_and_a_change_reach_the_view_the_directory_and_the_notifications()
    {
        var client = _host.CreateClient();
        var id = Guid.CreateVersion7();
        await client.RegisterAsync(id, "ada@example.org", "Ada");
        var version = await client.PostAsync($"/users/{id}/email", new { email = "countess@example.org" });

        var view = await client.ViewAtAsync(id, version);
        Assert.Equal("countess@example.org", view.GetProperty("email").GetString());
        Assert.Equal(2, view.GetProperty("version").GetInt64());
        var directory = await client.JsonAsync("/users?search=count");
        Assert.Contains(directory.GetProperty("items").EnumerateArray(), u => u.GetProperty("id").GetGuid() == id);

        var notifications = await client.EventuallyAsync($"/users/{id}/notifications",
            list => list.GetArrayLength() == 3 && list.EnumerateArray().All(n => n.GetProperty("state").GetString() == "sent"));
        Assert.Equal(
            ["ada@example.org email-changed-old-address", "ada@example.org welcome", "countess@example.org email-changed-new-address"],
            notifications.EnumerateArray().Select(n => $"{n.GetProperty("recipient").GetString()} {n.GetProperty("kind").GetString()}").Order());
    }

    [Fact]
    public async Task The_services_routes_do_not_collide()
    {
        var client = _host.CreateClient();
        var document = await client.JsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/users", "/users/{id}", "/users/{id}/history", "/users/{id}/state", "/users/{id}/notifications", "/stats" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the single-process host's OpenAPI document");
        }
    }
}
