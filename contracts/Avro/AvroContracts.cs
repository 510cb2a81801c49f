using System.Reflection;
using System.Text.RegularExpressions;
using Avro;

namespace Accounts.Contracts.Avro;

/// <summary>
/// The schema registry: every released version of every contract message, found by message type or by fingerprint, each
/// with its record mapping. A message is a record plus its <c>.avsc</c> files: any assembly can embed
/// <c>schemas/&lt;Message&gt;/v&lt;N&gt;.avsc</c> beside a record named <c>Message</c> (see <see cref="LoadEmbeddedSchemas"/>)
/// or hand schema text to <see cref="Parse"/>; no codec is written by hand.
/// </summary>
public sealed partial class AvroContracts
{
    const string ResourcePrefix = "schemas/";

    readonly Dictionary<Type, AvroContractVersion[]> _versionsByType;
    readonly Dictionary<long, AvroContractVersion> _byFingerprint;

    public AvroContracts(IEnumerable<AvroContractVersion> versions)
    {
        _versionsByType = versions
            .GroupBy(version => version.MessageType)
            .ToDictionary(group => group.Key, group => group.OrderBy(version => version.Version).ToArray());
        _byFingerprint = [];
        foreach (var version in _versionsByType.Values.SelectMany(versions => versions))
        {
            if (!_byFingerprint.TryAdd(version.Fingerprint, version))
                throw new InvalidOperationException($"{version} has the same fingerprint as {_byFingerprint[version.Fingerprint]}: a version must change the schema's canonical form.");
        }

        foreach (var (type, typeVersions) in _versionsByType)
        {
            for (var i = 0; i < typeVersions.Length; i++)
            {
                if (typeVersions[i].Version != i + 1)
                    throw new InvalidOperationException($"{type.Name}: versions must be numbered 1, 2, 3... without gaps; found v{typeVersions[i].Version} at position {i + 1}.");
            }
        }
    }

    /// <summary>The registry of this assembly's messages and embedded schemas.</summary>
    public static AvroContracts Default { get; } = new(LoadEmbeddedSchemas(typeof(AvroContracts).Assembly));

    public IEnumerable<Type> MessageTypes => _versionsByType.Keys;

    public IEnumerable<AvroContractVersion> AllVersions => _versionsByType.Values.SelectMany(versions => versions);

    public IReadOnlyList<AvroContractVersion> VersionsOf(Type messageType) =>
        _versionsByType.TryGetValue(messageType, out var versions) ? versions : throw NotAContract(messageType);

    public AvroContractVersion Latest(Type messageType) => VersionsOf(messageType)[^1];

    public AvroContractVersion Version(Type messageType, int version)
    {
        var versions = VersionsOf(messageType);
        return version >= 1 && version <= versions.Count
            ? versions[version - 1]
            : throw new ArgumentOutOfRangeException(nameof(version), version, $"{messageType.Name} has versions 1 to {versions.Count}.");
    }

    public bool TryGetByFingerprint(long fingerprint, out AvroContractVersion version) =>
        _byFingerprint.TryGetValue(fingerprint, out version!);

    /// <summary>
    /// Parses every <c>schemas/&lt;Message&gt;/v&lt;N&gt;.avsc</c> resource of <paramref name="assembly"/>; the folder names the
    /// message record, a type of that name in the same assembly. Embed them with
    /// <c>&lt;EmbeddedResource Include="schemas/**/*.avsc" LogicalName="schemas/%(RecursiveDir)%(Filename)%(Extension)" /&gt;</c>.
    /// </summary>
    public static IEnumerable<AvroContractVersion> LoadEmbeddedSchemas(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
                throw new InvalidOperationException($"Schema resource '{resource}' is not named schemas/<Message>/v<N>.avsc.");

            var messageName = match.Groups["message"].Value;
            var candidates = assembly.GetTypes().Where(type => type.Name == messageName).ToArray();
            if (candidates.Length != 1)
                throw new InvalidOperationException($"Schema resource '{resource}' must name exactly one type of {assembly.GetName().Name}; {candidates.Length} are named {messageName}.");
            var messageType = candidates[0];

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var text = new StreamReader(stream);
            yield return Parse(messageType, int.Parse(match.Groups["version"].Value, null), text.ReadToEnd());
        }
    }

    /// <summary>One version of a message's schema from its text; throws when it is not a record named like the type, or does not fit it.</summary>
    public static AvroContractVersion Parse(Type messageType, int version, string json)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        if (Schema.Parse(json) is not RecordSchema schema)
            throw new InvalidOperationException($"{messageType.Name} v{version}: a contract schema must be a record.");
        if (schema.Name != messageType.Name)
            throw new InvalidOperationException($"{messageType.Name} v{version}: the record is named '{schema.Name}'.");

        var mapping = AvroRecordMapping.Build(messageType, schema, $"{messageType.Name} v{version}");
        return new AvroContractVersion(messageType, version, schema, SchemaNormalization.ParsingFingerprint64(schema), json, mapping);
    }

    static ArgumentException NotAContract(Type messageType) =>
        new($"{messageType.Name} is not an Avro contract message (no schema under schemas/{messageType.Name}/).", nameof(messageType));

    [GeneratedRegex(@"^schemas/(?<message>[A-Za-z0-9]+)/v(?<version>[1-9][0-9]*)\.avsc$")]
    private static partial Regex ResourceName();
}
