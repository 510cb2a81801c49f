using Accounts.Contracts.Avro;
using Avro;

namespace Accounts.Contracts.Tests;

/// <summary>
/// The evolution gate: each version of a message against every earlier one, both ways. Backward: the newer version reads
/// data written with the older (upgraded consumers read old messages). Forward: the older version reads data written with
/// the newer (consumers not yet upgraded read new messages). Each problem names the versions, the field and the rule.
/// </summary>
public static class SchemaEvolutionGate
{
    public static IReadOnlyList<string> Check(string messageName, IReadOnlyList<Schema> versions)
    {
        var problems = new List<string>();
        for (var newer = 1; newer < versions.Count; newer++)
        {
            for (var older = 0; older < newer; older++)
            {
                problems.AddRange(AvroResolutionRules.WhyReaderCannotRead(versions[older], versions[newer])
                    .Select(problem => $"{messageName} backward (v{newer + 1} reader, v{older + 1} data): {problem}"));
                problems.AddRange(AvroResolutionRules.WhyReaderCannotRead(versions[newer], versions[older])
                    .Select(problem => $"{messageName} forward (v{older + 1} reader, v{newer + 1} data): {problem}"));
            }
        }

        return problems;
    }

    public static IReadOnlyList<string> Check(AvroContracts contracts, Type messageType) =>
        Check(messageType.Name, [.. contracts.VersionsOf(messageType).Select(version => (Schema)version.Schema)]);
}
