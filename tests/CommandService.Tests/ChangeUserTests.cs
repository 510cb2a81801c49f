using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace CommandService.Tests;

public sealed class ChangeUserTests(ApiWithRegisteredUser api) : IClassFixture<ApiWithRegisteredUser>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<(Guid Id, HttpClient Client)> NewUserAsync()
    {
        var id = Guid.CreateVersion7();
        (await api.RegisterAsync(id, $"{id:N}@example.org", "Someone")).EnsureSuccessStatusCode();
        return (id, _client);
    }

    private Task<HttpResponseMessage> PostAsync(string path, object? body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }
        return _client.SendAsync(request);
    }

    [Fact]
    public async Task Renaming_answers_200_with_the_new_version_and_etag()
    {
        var (id, _) = await NewUserAsync();
        var response = await PostAsync($"/users/{id}/name", new { displayName = "Renamed" }, "\"1\"");
        var body = await response.JsonAsync(200);
        Assert.Equal(2, body.GetProperty("version").GetInt64());
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_stale_if_match_is_412_and_appends_nothing()
    {
        var (id, _) = await NewUserAsync();
        await PostAsync($"/users/{id}/name", new { displayName = "Once" });
        var length = await api.LogLengthAsync();
        var problem = await (await PostAsync($"/users/{id}/name", new { displayName = "Twice" }, "\"1\"")).ProblemAsync(412);
        Assert.Equal("/problems/stale-version", problem.GetProperty("type").GetString());
        Assert.Equal(length, await api.LogLengthAsync());
    }

    private Task<HttpResponseMessage> RenameWithIfMatchAsync(Guid id, string ifMatch, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/users/{id}/name") { Content = JsonContent.Create(new { displayName = name }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return _client.SendAsync(request);
    }

    [Fact]
    public async Task An_if_match_naming_the_current_version_weakly_in_a_list_or_as_any_is_accepted()
    {
        var (id, _) = await NewUserAsync();
        Assert.Equal(2, (await (await RenameWithIfMatchAsync(id, "W/\"1\"", "Weak")).JsonAsync(200)).GetProperty("version").GetInt64());
        Assert.Equal(3, (await (await RenameWithIfMatchAsync(id, "\"7\", \"2\"", "Listed")).JsonAsync(200)).GetProperty("version").GetInt64());
        var any = await RenameWithIfMatchAsync(id, "*", "Any");
        Assert.Equal(4, (await any.JsonAsync(200)).GetProperty("version").GetInt64());
        Assert.Equal("\"4\"", any.Headers.ETag?.Tag);
        Assert.False(any.Headers.ETag?.IsWeak);
    }

    [Fact]
    public async Task An_if_match_list_without_the_current_version_is_412_and_appends_nothing()
    {
        var (id, _) = await NewUserAsync();
        await PostAsync($"/users/{id}/name", new { displayName = "Once" });
        var length = await api.LogLengthAsync();
        var problem = await (await RenameWithIfMatchAsync(id, "\"1\", W/\"3\"", "Twice")).ProblemAsync(412);
        Assert.Equal("/problems/stale-version", problem.GetProperty("type").GetString());
        Assert.Equal(length, await api.LogLengthAsync());
    }

    [Fact]
    public async Task An_entity_tag_that_names_no_version_is_400()
    {
        var problem = await (await RenameWithIfMatchAsync(api.Ada, "\"one\"", "X")).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("If-Match", out _));
    }

    [Fact]
    public async Task A_malformed_if_match_is_400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/users/{api.Ada}/reactivate");
        request.Headers.TryAddWithoutValidation("If-Match", "version-one");
        await (await _client.SendAsync(request)).ProblemAsync(400);
    }

    [Fact]
    public async Task An_unknown_user_is_404()
    {
        var problem = await (await PostAsync($"/users/{Guid.CreateVersion7()}/name", new { displayName = "Nobody" })).ProblemAsync(404);
        Assert.Equal("/problems/user-not-found", problem.GetProperty("type").GetString());
        await (await _client.GetAsync($"/users/{Guid.CreateVersion7()}/history")).ProblemAsync(404);
    }

    [Fact]
    public async Task An_id_that_is_not_a_guid_is_400_naming_it()
    {
        var problem = await (await PostAsync("/users/abc/name", new { displayName = "X" })).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task A_missing_field_is_400_naming_it()
    {
        var problem = await (await PostAsync($"/users/{api.Ada}/deactivate", new { })).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task Changing_to_the_same_address_is_409_nothing_changed()
    {
        var problem = await (await PostAsync($"/users/{api.Ada}/email", new { email = "ADA@example.com" })).ProblemAsync(409);
        Assert.Equal("/problems/nothing-changed", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Changing_the_address_frees_the_old_one_and_takes_the_new_one()
    {
        var (id, _) = await NewUserAsync();
        var old = $"{id:N}@example.org";
        (await PostAsync($"/users/{id}/email", new { email = $"new-{id:N}@example.org" })).EnsureSuccessStatusCode();
        var taken = await (await api.RegisterAsync(Guid.CreateVersion7(), $"new-{id:N}@example.org")).ProblemAsync(409);
        Assert.Equal("/problems/email-taken", taken.GetProperty("type").GetString());
        Assert.Equal(201, (int)(await api.RegisterAsync(Guid.CreateVersion7(), old)).StatusCode);
    }

    [Fact]
    public async Task Changing_to_another_accounts_address_is_409_email_taken()
    {
        var (id, _) = await NewUserAsync();
        var problem = await (await PostAsync($"/users/{id}/email", new { email = "ada@example.com" })).ProblemAsync(409);
        Assert.Equal("/problems/email-taken", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_deactivated_account_takes_only_reactivation()
    {
        var (id, _) = await NewUserAsync();
        (await PostAsync($"/users/{id}/deactivate", new { reason = "moved away" })).EnsureSuccessStatusCode();
        var problem = await (await PostAsync($"/users/{id}/name", new { displayName = "X" })).ProblemAsync(409);
        Assert.Equal("/problems/account-deactivated", problem.GetProperty("type").GetString());
        var again = await (await PostAsync($"/users/{id}/deactivate", new { reason = "again" })).ProblemAsync(409);
        Assert.Equal("/problems/account-deactivated", again.GetProperty("type").GetString());
        var reactivated = await (await PostAsync($"/users/{id}/reactivate", null, "\"2\"")).JsonAsync(200);
        Assert.Equal(3, reactivated.GetProperty("version").GetInt64());
        var active = await (await PostAsync($"/users/{id}/reactivate", null)).ProblemAsync(409);
        Assert.Equal("/problems/already-active", active.GetProperty("type").GetString());
    }

    [Fact]
    public async Task History_lists_the_events_oldest_first_with_their_envelope()
    {
        var (id, _) = await NewUserAsync();
        await PostAsync($"/users/{id}/name", new { displayName = "Second" });
        var request = new HttpRequestMessage(HttpMethod.Post, $"/users/{id}/deactivate") { Content = JsonContent.Create(new { reason = "bye" }) };
        var correlation = Guid.NewGuid();
        request.Headers.Add("X-Correlation-Id", correlation.ToString());
        await _client.SendAsync(request);
        var history = await (await _client.GetAsync($"/users/{id}/history")).JsonAsync(200);
        Assert.Equal(["UserRegistered", "UserRenamed", "UserDeactivated"], history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([1L, 2, 3], history.EnumerateArray().Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal("Second", history[1].GetProperty("data").GetProperty("displayName").GetString());
        Assert.Equal(correlation, history[2].GetProperty("correlationId").GetGuid());
        Assert.Equal(7, history[2].GetProperty("eventId").GetGuid().Version);
    }

    [Fact]
    public async Task State_travels_back_to_a_version()
    {
        var (id, _) = await NewUserAsync();
        await PostAsync($"/users/{id}/name", new { displayName = "Later" });
        var then = await (await _client.GetAsync($"/users/{id}/state?version=1")).JsonAsync(200);
        var now = await (await _client.GetAsync($"/users/{id}/state")).JsonAsync(200);
        Assert.Equal("Someone", then.GetProperty("displayName").GetString());
        Assert.Equal("Later", now.GetProperty("displayName").GetString());
        Assert.Equal(2, now.GetProperty("version").GetInt64());
        await (await _client.GetAsync($"/users/{id}/state?version=9")).ProblemAsync(404);
        await (await _client.GetAsync($"/users/{id}/state?version=0")).ProblemAsync(400);
    }
}
