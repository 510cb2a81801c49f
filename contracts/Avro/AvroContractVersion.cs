using Avro;

namespace Accounts.Contracts.Avro;

/// <summary>One released version of one contract message's schema, with the record's mapping to it.</summary>
/// <param name="Fingerprint">CRC-64-AVRO of the schema's Parsing Canonical Form: the schema's identity on the wire.</param>
/// <param name="Json">The .avsc file as released (with docs and defaults, which the fingerprint ignores).</param>
/// <param name="Mapping">Between the message record and this schema, derived once when the schema is loaded.</param>
public sealed record AvroContractVersion(Type MessageType, int Version, RecordSchema Schema, long Fingerprint, string Json, AvroRecordMapping Mapping)
{
    public string MessageName => MessageType.Name;

    public override string ToString() => $"{MessageName} v{Version} (fingerprint {Fingerprint:X16})";
}
