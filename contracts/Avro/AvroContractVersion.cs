using Avro;

namespace Accounts.Contracts.Avro;

/// <summary>One released version of one contract message's schema, as embedded from <c>contracts/schemas</c>.</summary>
/// <param name="Fingerprint">CRC-64-AVRO of the schema's Parsing Canonical Form: the schema's identity on the wire.</param>
/// <param name="Json">The .avsc file as released (with docs and defaults, which the fingerprint ignores).</param>
public sealed record AvroContractVersion(Type MessageType, int Version, RecordSchema Schema, long Fingerprint, string Json)
{
    public string MessageName => MessageType.Name;

    public override string ToString() => $"{MessageName} v{Version} (fingerprint {Fingerprint:X16})";
}
