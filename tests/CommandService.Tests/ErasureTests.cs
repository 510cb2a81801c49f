using System.Net.Http.Json;
using CommandService.Infrastructure;

namespace CommandService.Tests;

/// <summary>DELETE /users/{id}: the key is destroyed, UserErased appended, the address freed; the rest reads as erased.</summary>
public sealed class ErasureTests(CommandApi api) : IClassFixture<CommandApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<Guid> RegisterAsync(string email)
    {
        var id = Guid.CreateVersion7();
        (await api.RegisterAsync(id, email, "Erin Erased")).EnsureSuccessStatusCode();
        (await _client.PostAsJsonAsync($"/users/{id}/deactivate", new { reason = "leaving for good" })).EnsureSuccessStatusCode();
        return id;
    }

    [Fact]
    public async Task An_erased_account_reads_as_erased_and_its_address_registers_again()
    {
        var email = $"erin.{Guid.NewGuid():N}@example.org";
        var id = await RegisterAsync(email);

        var erased = await (await _client.DeleteAsync($"/users/{id}")).JsonAsync(200);
        Assert.Equal(3, erased.GetProperty("version").GetInt64());

        var history = await (await _client.GetAsync($"/users/{id}/history")).JsonAsync(200);
        Assert.Equal(["UserRegistered", "UserDeactivated", "UserErased"], history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(PersonalData.Erased, history[0].GetProperty("data").GetProperty("email").GetString());
        Assert.Equal(PersonalData.Erased, history[0].GetProperty("data").GetProperty("displayName").GetString());
        Assert.Equal(PersonalData.Erased, history[1].GetProperty("data").GetProperty("reason").GetString());
        var state = await (await _client.GetAsync($"/users/{id}/state")).JsonAsync(200);
        Assert.Equal(("Erased", PersonalData.Erased), (state.GetProperty("status").GetString(), state.GetProperty("email").GetString()));
        var before = await (await _client.GetAsync($"/users/{id}/state?version=1")).JsonAsync(200);
        Assert.Equal(PersonalData.Erased, before.GetProperty("displayName").GetString());

        Assert.Equal(201, (int)(await api.RegisterAsync(Guid.CreateVersion7(), email, "Someone New")).StatusCode);
    }

    [Fact]
    public async Task An_erased_account_takes_no_more_commands_and_erasing_again_changes_nothing()
    {
        var id = await RegisterAsync($"erin.{Guid.NewGuid():N}@example.org");
        (await _client.DeleteAsync($"/users/{id}")).EnsureSuccessStatusCode();

        var problem = await (await _client.PostAsync($"/users/{id}/reactivate", null)).ProblemAsync(409);
        Assert.Equal("/problems/account-erased", problem.GetProperty("type").GetString());
        var again = await (await _client.DeleteAsync($"/users/{id}")).JsonAsync(200);
        Assert.Equal(3, again.GetProperty("version").GetInt64());
        Assert.Equal(3, (await api.Store.ReadStreamAsync(UserStreams.For(id))).Count);
        await (await _client.DeleteAsync($"/users/{Guid.NewGuid()}")).ProblemAsync(404);
    }
}
