using System.Net.Http.Json;
using System.Text;
using CommandService.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommandService.Tests;

public sealed class RegisterUserTests(CommandApi api) : IClassFixture<CommandApi>
{
    [Fact]
    public async Task A_registration_answers_201_with_location_etag_version_and_position()
    {
        var id = Guid.CreateVersion7();
        var response = await api.RegisterAsync(id, " Ada@Example.org ");
        var body = await response.JsonAsync(201);
        Assert.Equal($"/users/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(id, body.GetProperty("id").GetGuid());
        Assert.Equal(1, body.GetProperty("version").GetInt64());
        Assert.True(body.GetProperty("position").GetUInt64() > 0);
        var state = await (await api.CreateClient().GetAsync($"/users/{id}/state")).JsonAsync(200);
        Assert.Equal("ada@example.org", state.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_registration_without_an_id_gets_one()
    {
        var response = await api.CreateClient().PostAsJsonAsync("/users", new { email = "noid@example.org", displayName = "No Id" });
        var body = await response.JsonAsync(201);
        Assert.NotEqual(Guid.Empty, body.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Repeating_the_same_registration_is_answered_as_the_first_was()
    {
        var id = Guid.CreateVersion7();
        var first = await (await api.RegisterAsync(id, "twice@example.org")).JsonAsync(201);
        var length = await api.LogLengthAsync();
        var again = await api.RegisterAsync(id, "twice@example.org");
        Assert.Equal(first.ToString(), (await again.JsonAsync(201)).ToString());
        Assert.Equal("\"1\"", again.Headers.ETag?.Tag);
        Assert.Equal(length, await api.LogLengthAsync());
    }

    [Fact]
    public async Task A_different_registration_with_a_taken_id_is_409()
    {
        var id = Guid.CreateVersion7();
        await api.RegisterAsync(id, "first@example.org");
        var problem = await (await api.RegisterAsync(id, "second@example.org")).ProblemAsync(409);
        Assert.Equal("/problems/already-registered", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_address_belongs_to_one_account()
    {
        await api.RegisterAsync(Guid.CreateVersion7(), "mine@example.org");
        var problem = await (await api.RegisterAsync(Guid.CreateVersion7(), "MINE@example.org")).ProblemAsync(409);
        Assert.Equal("/problems/email-taken", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Of_twenty_concurrent_registrations_of_one_address_exactly_one_wins()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => api.RegisterAsync(Guid.CreateVersion7(), "race@example.org"))));
        Assert.Equal(1, responses.Count(r => (int)r.StatusCode == 201));
        Assert.All(responses.Where(r => (int)r.StatusCode != 201), r => Assert.Equal(409, (int)r.StatusCode));
        var stream = await api.Services.GetRequiredService<AccountKeys>().ReservationStreamAsync("race@example.org");
        var reservation = await api.Store.ReadStreamAsync(stream);
        Assert.Single(reservation);
    }

    public static TheoryData<string, string> BadBodies() => new()
    {
        { "{\"email\": \"a@example.org\", ", "body" },
        { "[1, 2]", "body" },
        { "{\"email\": 42, \"displayName\": \"Ada\"}", "email" },
        { "{\"id\": \"not-a-guid\", \"email\": \"a@example.org\", \"displayName\": \"Ada\"}", "id" },
        { "{\"displayName\": \"Ada\"}", "email" },
        { "{\"email\": \"a@example.org\"}", "displayName" },
        { "{\"email\": \"not an address\", \"displayName\": \"Ada\"}", "email" },
        { "{\"email\": \"a@example.org\", \"displayName\": \"\"}", "displayName" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_400_naming_the_field_and_appends_nothing(string json, string field)
    {
        var length = await api.LogLengthAsync();
        var response = await api.CreateClient().PostAsync("/users", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await response.ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(length, await api.LogLengthAsync());
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_400()
    {
        var json = $"{{\"email\": \"big@example.org\", \"displayName\": \"{new string('x', 70_000)}\"}}";
        var response = await api.CreateClient().PostAsync("/users", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.ProblemAsync(400);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_unsupported_media_type()
    {
        var length = await api.LogLengthAsync();
        var response = await api.CreateClient().PostAsync("/users", new StringContent("email=a@example.org", Encoding.UTF8, "text/plain"));
        await response.ProblemAsync(415);
        Assert.Equal(length, await api.LogLengthAsync());
    }

    [Fact]
    public async Task The_openapi_document_lists_the_routes()
    {
        var document = await (await api.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync(200);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/users", out _));
        Assert.True(paths.TryGetProperty("/users/{id}/email", out _));
        Assert.True(paths.TryGetProperty("/users/{id}/state", out _));
        Assert.Equal(["201", "400", "409", "429"], Statuses(paths.GetProperty("/users").GetProperty("post")));
        Assert.Equal(["200", "400", "404", "409", "412", "429"], Statuses(paths.GetProperty("/users/{id}/email").GetProperty("post")));
        Assert.Equal(["200", "400", "404"], Statuses(paths.GetProperty("/users/{id}/state").GetProperty("get")));
    }

    private static List<string> Statuses(System.Text.Json.JsonElement operation) =>
        [.. operation.GetProperty("responses").EnumerateObject().Select(response => response.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_setting_out_of_range_stops_the_start_naming_it()
    {
        await using var misconfigured = new CommandApi();
        misconfigured.Settings["Relay:MaxInFlight"] = "0";
        var error = Assert.ThrowsAny<Microsoft.Extensions.Options.OptionsValidationException>(() => misconfigured.Services);
        Assert.Contains(nameof(RelayOptions.MaxInFlight), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        Assert.Equal(200, (int)(await api.CreateClient().GetAsync("/health/live")).StatusCode);
        Assert.Equal(200, (int)(await api.CreateClient().GetAsync("/health/ready")).StatusCode);
    }
}
