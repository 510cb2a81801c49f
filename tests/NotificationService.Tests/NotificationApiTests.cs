using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Contracts;
using Accounts.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace NotificationService.Tests;

/// <summary>The service on the in-memory bus, mail written as .eml files into the pickup directory.</summary>
public sealed class NotificationApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);
    private readonly NotificationApi _api = new();

    public Task InitializeAsync()
    {
        _ = _api.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Messages_become_notifications_listed_per_user_and_eml_files_in_the_pickup_directory()
    {
        var id = Guid.NewGuid();
        var bus = _api.Services.GetRequiredService<IBus>();
        await bus.Publish(new UserRegistered(id, 1, At, "ada@example.com", "Ada"));
        await bus.Publish(new UserEmailChanged(id, 2, At.AddSeconds(1), "ada@example.com", "ada@lovelace.org"));
        await bus.Publish(new UserDeactivated(id, 3, At.AddSeconds(2), "moved on"));

        var client = _api.CreateClient();
        var listed = await Eventually.UntilAsync("four notifications, all sent", async () =>
            await client.GetFromJsonAsync<List<JsonElement>>(new Uri($"/users/{id}/notifications", UriKind.Relative)) ?? [],
            notifications => notifications.Count >= 4 && notifications.All(n => n.GetProperty("state").GetString() == "sent"));

        Assert.Equal(
            ["email-changed-new-address:ada@lovelace.org", "email-changed-old-address:ada@example.com", "farewell:ada@lovelace.org", "welcome:ada@example.com"],
            listed.Select(n => $"{n.GetProperty("kind").GetString()}:{n.GetProperty("recipient").GetString()}").Order());
        Assert.All(listed, n => Assert.Equal("sent", n.GetProperty("state").GetString()));
        var files = Directory.GetFiles(Path.Combine(_api.Folder, "outbox"), "*.eml").Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(listed.Select(n => $"{n.GetProperty("id").GetString()}@localhost").Order(), files.Order());
    }

    [Fact]
    public async Task A_read_with_min_count_waits_for_the_notifications_it_asks_for()
    {
        var id = Guid.NewGuid();
        var client = _api.CreateClient();
        var waiting = client.GetFromJsonAsync<List<JsonElement>>(new Uri($"/users/{id}/notifications?minCount=1", UriKind.Relative));
        await Eventually.UntilAsync("the read to wait for the user", () => _api.Services.GetRequiredService<ServiceDefaults.UserChanges>().IsWatched(id));

        await _api.Services.GetRequiredService<IBus>().Publish(new UserRegistered(id, 1, At, "grace@example.com", "Grace"));

        var listed = Assert.IsType<List<JsonElement>>(await waiting);
        Assert.Equal("welcome:grace@example.com", $"{Assert.Single(listed).GetProperty("kind").GetString()}:{listed[0].GetProperty("recipient").GetString()}");
    }

    [Fact]
    public async Task A_min_count_below_one_is_400_problem_details()
    {
        var response = await _api.CreateClient().GetAsync(new Uri($"/users/{Guid.NewGuid()}/notifications?minCount=0", UriKind.Relative));
        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_bad_user_id_is_400_problem_details()
    {
        var response = await _api.CreateClient().GetAsync(new Uri("/users/nope/notifications", UriKind.Relative));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
