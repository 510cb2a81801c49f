using System.Security.Cryptography;
using System.Text;
using Accounts.Contracts;
using Accounts.Contracts.Avro;
using Avro;

namespace Accounts.Contracts.Tests;

/// <summary>
/// Released schemas are never edited. Each is pinned twice: its fingerprint (its identity on the wire: changing the canonical
/// form strands every message written with it) and the SHA-256 of the file (docs and defaults, which the fingerprint ignores).
/// A change must be a new version file; add its pins here when it is released.
/// </summary>
public class ReleasedSchemaTests
{
    public static TheoryData<string, int, long, string> Released => new()
    {
        { nameof(UserRegistered), 1, unchecked((long)0x24C96DFB4D96EB26), "b4707c1e527e659a2ecfc152ee956f7b336b0d66a44cc3e35f06f5a0468e714e" },
        { nameof(UserRegistered), 2, unchecked((long)0xBE6CC94218A3CFB1), "5e43718356f412ea52b1d0c8b1317fda6f05594648e00cc324107890aaafaec3" },
        { nameof(UserEmailChanged), 1, unchecked((long)0xC19DC5BACBF13507), "70720fb86b7c4da65a45a12713b8a03d393fef88f9ee4dca29328916c1abf73a" },
        { nameof(UserRenamed), 1, unchecked((long)0x72B6611E734D23A7), "3e7bce4eea1b3642c73797a8698194f849510db32094169e1451782802804c4b" },
        { nameof(UserDeactivated), 1, unchecked((long)0x7805AD4ECE9175FF), "cf9c0b5e5513ccfc28977442a8b200a851e5ac1cfd4c9176c8d8e68ab7655429" },
        { nameof(UserReactivated), 1, unchecked((long)0x1E0E0849351F8848), "7812155bdbefe36e0a76ab0235b264546eba7b3d642753883f04342c4fc6dd8b" },
        { nameof(UserErased), 1, unchecked((long)0xF30C59746B82457D), "cc2f2904b38bda7da7544955548605f96b9dbf67006330df34ab50d29b5b8de7" },
        { nameof(UserMessageBatch), 1, unchecked((long)0xE42324E120088D92), "fc917abdc2222cb544204f72ce2b950dd68f41b82709e60292f17218acf4acdd" },
    };

    [Theory]
    [MemberData(nameof(Released))]
    public void Every_released_schema_stays_unchanged(string message, int version, long fingerprint, string sha256)
    {
        var released = AvroContracts.Default.AllVersions.Single(v => v.MessageName == message && v.Version == version);

        Assert.Equal($"{fingerprint:X16}", $"{released.Fingerprint:X16}");
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(released.Json.ReplaceLineEndings("\n")))));
    }

    [Fact]
    public void Every_embedded_schema_is_pinned()
    {
        var pinned = Released.Select(row => ((string)row[0], (int)row[1])).ToHashSet();
        var embedded = AvroContracts.Default.AllVersions.Select(v => (v.MessageName, v.Version)).ToHashSet();

        Assert.Equal(embedded.OrderBy(x => x).ToArray(), pinned.OrderBy(x => x).ToArray());
    }

    [Fact]
    public void Every_message_record_has_a_schema()
    {
        var messages = typeof(IUserMessage).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IUserMessage).IsAssignableFrom(t))
            .Append(typeof(UserMessageBatch));

        Assert.Equal(messages.OrderBy(t => t.Name), AvroContracts.Default.MessageTypes.OrderBy(t => t.Name));
    }

    [Fact]
    public void Every_schema_and_field_is_documented()
    {
        foreach (var version in AvroContracts.Default.AllVersions)
        {
            Assert.False(string.IsNullOrWhiteSpace(version.Schema.Documentation), $"{version} has no doc");
            Assert.All(version.Schema.Fields, field => Assert.False(string.IsNullOrWhiteSpace(field.Documentation), $"{version}.{field.Name} has no doc"));
            Assert.Equal("accounts.contracts", version.Schema.Namespace);
        }
    }

    [Fact]
    public void Fingerprints_are_crc_64_avro_as_the_spec_defines()
    {
        // Test vector of the Avro specification's schema tests: the canonical form "null" has fingerprint 7195948357588979594.
        Assert.Equal(7195948357588979594L, SchemaNormalization.ParsingFingerprint64(Schema.Parse("\"null\"")));
    }
}
