using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Contracts;

namespace QueryService.Tests;

/// <summary>Starting state: a query service on the in-memory bus, with a read-your-writes time-out of one second.</summary>
public sealed class ApiOnInMemoryBus : QueryApi
{
    public ApiOnInMemoryBus() => Settings["Query:ReadYourWritesTimeout"] = "00:00:01";
}

public sealed class QueryApiTests(ApiOnInMemoryBus api) : IClassFixture<ApiOnInMemoryBus>
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task An_unknown_user_is_404_problem_details()
    {
        var problem = await (await _client.GetAsync(new Uri($"/users/{Guid.NewGuid()}", UriKind.Relative))).ProblemAsync(404);
        Assert.Equal("/problems/user-not-found", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_published_registration_becomes_a_profile_with_its_version_as_etag()
    {
        var id = Guid.NewGuid();
        await api.PublishAsync(new UserRegistered(id, 1, At, "Reg@Example.com", "Reggie"));
        var profile = await api.UserAsync(id, minVersion: 1);
        Assert.Equal("Reg@Example.com", profile.GetProperty("email").GetString());
        Assert.Equal("Reggie", profile.GetProperty("displayName").GetString());
        Assert.Equal("active", profile.GetProperty("status").GetString());
        Assert.Equal(1, profile.GetProperty("version").GetInt64());
        var plain = await _client.GetAsync(new Uri($"/users/{id}", UriKind.Relative));
        Assert.Equal("\"1\"", plain.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Read_your_writes_waits_for_the_version_and_is_woken_by_the_projection()
    {
        var id = Guid.NewGuid();
        var request = _client.GetAsync(new Uri($"/users/{id}?minVersion=2", UriKind.Relative));
        await Task.Delay(200);
        Assert.False(request.IsCompleted);
        var published = Stopwatch.StartNew();
        await api.PublishAsync(new UserRegistered(id, 1, At, "wait@example.com", "Waiter"));
        await api.PublishAsync(new UserRenamed(id, 2, At.AddSeconds(1), "Waited"));
        var profile = await (await request).JsonAsync(200);
        Assert.Equal("Waited", profile.GetProperty("displayName").GetString());
        Assert.True(published.Elapsed < TimeSpan.FromMilliseconds(900), $"answered {published.Elapsed} after the publish");
    }

    [Fact]
    public async Task Read_your_writes_times_out_with_409_saying_which_version_it_has()
    {
        var id = Guid.NewGuid();
        await api.PublishAsync(new UserRegistered(id, 1, At, "slow@example.com", "Slow"));
        await api.UserAsync(id, 1);
        var elapsed = Stopwatch.StartNew();
        var problem = await (await _client.GetAsync(new Uri($"/users/{id}?minVersion=3", UriKind.Relative))).ProblemAsync(409);
        Assert.InRange(elapsed.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Equal("/problems/view-behind", problem.GetProperty("type").GetString());
        Assert.Equal(1, problem.GetProperty("currentVersion").GetInt64());
        Assert.Contains("is at version 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_directory_searches_filters_and_pages_with_an_opaque_cursor()
    {
        var tag = $"dir{Guid.NewGuid():N}"[..12];
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            await api.PublishAsync(new UserRegistered(id, 1, At, $"{tag}{i}@example.com", $"{tag.ToUpperInvariant()} User {i}"));
        }
        await api.PublishAsync(new UserDeactivated(ids[4], 2, At.AddSeconds(1), "test"));
        await api.UserAsync(ids[4], 2);
        foreach (var id in ids[..4])
        {
            await api.UserAsync(id, 1);
        }

        var seen = new List<string>();
        string? next = null;
        do
        {
            var query = $"/users?search={tag}&status=active&limit=2" + (next is null ? "" : $"&after={next}");
            var page = await (await _client.GetAsync(new Uri(query, UriKind.Relative))).JsonAsync(200);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("displayName").GetString()!));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (next is not null);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"{tag.ToUpperInvariant()} User {i}"), seen);
    }

    [Theory]
    [InlineData("/users?status=sleeping", "status")]
    [InlineData("/users?limit=0", "limit")]
    [InlineData("/users?limit=100000", "limit")]
    [InlineData("/users?after=not-a-cursor", "after")]
    [InlineData("/users/not-a-guid", "id")]
    [InlineData("/users/0b5e2c8e-6a7d-4f0e-9d7c-3c2b1a0f9e8d?minVersion=0", "minVersion")]
    public async Task Bad_input_is_400_problem_details_naming_the_field(string url, string field)
    {
        var problem = await (await _client.GetAsync(new Uri(url, UriKind.Relative))).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Stats_count_active_and_deactivated_accounts()
    {
        var before = await _client.GetFromJsonAsync<JsonElement>(new Uri("/stats", UriKind.Relative));
        var id = Guid.NewGuid();
        await api.PublishAsync(new UserRegistered(id, 1, At, "counted@example.com", "Counted"));
        await api.PublishAsync(new UserDeactivated(id, 2, At.AddSeconds(1), "test"));
        await api.UserAsync(id, 2);
        var after = await _client.GetFromJsonAsync<JsonElement>(new Uri("/stats", UriKind.Relative));
        Assert.Equal(before.GetProperty("deactivated").GetInt64() + 1, after.GetProperty("deactivated").GetInt64());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy(string url)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
