using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Accounts.Domain;
using CommandService.Infrastructure;

namespace CommandService.Tests;

/// <summary>Personal fields are sealed with the account's key before they reach the event store; reads open them.</summary>
public sealed class PersonalDataAtRestTests
{
    [Fact]
    public async Task After_a_registration_and_changes_no_address_name_or_reason_appears_in_the_event_store_file()
    {
        var api = new CommandApi();
        var id = Guid.CreateVersion7();
        var (email, newEmail, name, newName, reason) =
            ($"plain.{id:N}@example.org", $"moved.{id:N}@example.org", $"Name{id:N}", $"Renamed{id:N}", $"Reason{id:N}");
        var client = api.CreateClient();
        (await api.RegisterAsync(id, email, name)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/users/{id}/email", new { email = newEmail })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/users/{id}/name", new { displayName = newName })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/users/{id}/deactivate", new { reason })).EnsureSuccessStatusCode();

        var history = await (await client.GetAsync($"/users/{id}/history")).JsonAsync(200);
        Assert.Equal(email, history[0].GetProperty("data").GetProperty("email").GetString());
        Assert.Equal(reason, history[3].GetProperty("data").GetProperty("reason").GetString());
        var first = await (await client.GetAsync($"/users/{id}/state?version=1")).JsonAsync(200);
        Assert.Equal(name, first.GetProperty("displayName").GetString());
        await api.StopKeepingDataAsync();
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the last connection closing folds the WAL into the file
            var eventFiles = Directory.GetFiles(api.Folder, "events.db*");
            Assert.NotEmpty(eventFiles);
            foreach (var file in eventFiles)
            {
                var bytes = await ReadIfStillThereAsync(file);
                foreach (var secret in new[] { email, newEmail, name, newName, reason })
                {
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{secret} in {Path.GetFileName(file)}");
                }
            }
            Assert.True(File.Exists(Path.Combine(api.Folder, "keys.db")), "the keys live in a file of their own");
        }
        finally
        {
            Directory.Delete(api.Folder, recursive: true);
        }
    }

    /// <summary>The file's bytes; none when it went away meanwhile (the WAL, once the last connection folded it in).</summary>
    private static async Task<byte[]> ReadIfStillThereAsync(string file)
    {
        try
        {
            return await File.ReadAllBytesAsync(file);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    [Fact]
    public void A_sealed_field_opens_with_its_account_key_only()
    {
        var (key, account) = (RandomNumberGenerator.GetBytes(32), Guid.NewGuid());
        var sealedText = PersonalData.Seal("ada@example.org", key, account);
        Assert.DoesNotContain("ada", sealedText, StringComparison.Ordinal);
        Assert.Equal("ada@example.org", PersonalData.Open(sealedText, key, account));
        Assert.Equal(PersonalData.Erased, PersonalData.Open(sealedText, null, account));
        Assert.ThrowsAny<CryptographicException>(() => PersonalData.Open(sealedText, key, Guid.NewGuid()));
        Assert.ThrowsAny<CryptographicException>(() => PersonalData.Open(sealedText, RandomNumberGenerator.GetBytes(32), account));
    }

    [Fact]
    public void Every_account_event_type_has_its_personal_fields_named()
    {
        var at = DateTimeOffset.UnixEpoch;
        var id = Guid.NewGuid();
        IUserEvent[] examples =
        [
            new UserRegistered(id, "a@example.org", "A", at), new UserEmailChanged(id, "a@example.org", "b@example.org", at),
            new UserRenamed(id, "A", "B", at), new UserDeactivated(id, "why", at), new UserReactivated(id, at),
            new UserErased(id, at),
        ];
        Assert.Equal(UserEventTypes.ByName.Values.Order(TypeNames.Instance), examples.Select(e => e.GetType()).Order(TypeNames.Instance));
        var key = RandomNumberGenerator.GetBytes(32);
        foreach (var example in examples)
        {
            var sealedEvent = PersonalData.Seal(example, key);
            Assert.DoesNotContain("example.org", JsonSerializer.Serialize<object>(sealedEvent), StringComparison.Ordinal);
            Assert.Equal(example, PersonalData.Open(sealedEvent, key));
        }
    }

    private sealed class TypeNames : IComparer<Type>
    {
        public static readonly TypeNames Instance = new();

        public int Compare(Type? x, Type? y) => string.CompareOrdinal(x?.Name, y?.Name);
    }
}
