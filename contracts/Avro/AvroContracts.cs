using System.Reflection;
using System.Text.RegularExpressions;
using Avro;

namespace Accounts.Contracts.Avro;

/// <summary>
/// The schema registry: every released version of every contract message (the embedded <c>schemas/&lt;Message&gt;/v&lt;N&gt;.avsc</c>
/// files), found by message type or by fingerprint, and the codec that maps each message type.
/// </summary>
public sealed partial class AvroContracts
{
    const string ResourcePrefix = "schemas/";

    readonly Dictionary<Type, AvroContractVersion[]> _versionsByType;
    readonly Dictionary<long, AvroContractVersion> _byFingerprint;
    readonly Dictionary<Type, IAvroMessageCodec> _codecs;

    public AvroContracts(IEnumerable<IAvroMessageCodec> codecs, IEnumerable<AvroContractVersion> versions)
    {
        _codecs = codecs.ToDictionary(codec => codec.MessageType);
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
            if (!_codecs.ContainsKey(type))
                throw new InvalidOperationException($"{type.Name} has schemas but no codec.");
            for (var i = 0; i < typeVersions.Length; i++)
            {
                if (typeVersions[i].Version != i + 1)
                    throw new InvalidOperationException($"{type.Name}: versions must be numbered 1, 2, 3... without gaps; found v{typeVersions[i].Version} at position {i + 1}.");
            }
        }

        foreach (var type in _codecs.Keys.Where(type => !_versionsByType.ContainsKey(type)))
            throw new InvalidOperationException($"{type.Name} has a codec but no schema.");
    }

    /// <summary>The registry of this assembly's messages and embedded schemas.</summary>
    public static AvroContracts Default { get; } = new(
        [new UserRegisteredAvroCodec(), new UserEmailChangedAvroCodec(), new UserRenamedAvroCodec(), new UserDeactivatedAvroCodec(), new UserReactivatedAvroCodec()],
        LoadEmbeddedSchemas(typeof(AvroContracts).Assembly));

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

    public IAvroMessageCodec CodecOf(Type messageType) =>
        _codecs.TryGetValue(messageType, out var codec) ? codec : throw NotAContract(messageType);

    /// <summary>Parses every <c>schemas/&lt;Message&gt;/v&lt;N&gt;.avsc</c> resource; the folder names the contract type in <c>Accounts.Contracts</c>.</summary>
    public static IEnumerable<AvroContractVersion> LoadEmbeddedSchemas(Assembly assembly)
    {
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
                throw new InvalidOperationException($"Schema resource '{resource}' is not named schemas/<Message>/v<N>.avsc.");

            var messageName = match.Groups["message"].Value;
            var messageType = typeof(IUserMessage).Assembly.GetType($"{typeof(IUserMessage).Namespace}.{messageName}")
                ?? throw new InvalidOperationException($"Schema resource '{resource}' names no type {messageName} in {typeof(IUserMessage).Namespace}.");

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var text = new StreamReader(stream);
            yield return Parse(messageType, int.Parse(match.Groups["version"].Value, null), text.ReadToEnd());
        }
    }

    public static AvroContractVersion Parse(Type messageType, int version, string json)
    {
        if (Schema.Parse(json) is not RecordSchema schema)
            throw new InvalidOperationException($"{messageType.Name} v{version}: a contract schema must be a record.");
        if (schema.Name != messageType.Name)
            throw new InvalidOperationException($"{messageType.Name} v{version}: the record is named '{schema.Name}'.");

        return new AvroContractVersion(messageType, version, schema, SchemaNormalization.ParsingFingerprint64(schema), json);
    }

    static ArgumentException NotAContract(Type messageType) =>
        new($"{messageType.Name} is not an Avro contract message (no schema under contracts/schemas/{messageType.Name}/).", nameof(messageType));

    [GeneratedRegex(@"^schemas/(?<message>[A-Za-z0-9]+)/v(?<version>[1-9][0-9]*)\.avsc$")]
    private static partial Regex ResourceName();
}
