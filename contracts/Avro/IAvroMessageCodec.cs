using Avro;
using Avro.Generic;

namespace Accounts.Contracts.Avro;

/// <summary>
/// Maps one contract message between its C# record and Avro. The fast path reads and writes the latest schema's
/// layout directly; the generic path (any older version, or reading through schema resolution) goes through
/// Apache.Avro's <see cref="GenericRecord"/>.
/// </summary>
public interface IAvroMessageCodec
{
    Type MessageType { get; }

    /// <summary>Writes the message's Avro body in the layout of the latest schema.</summary>
    void WriteLatest(object message, AvroBinaryWriter writer);

    /// <summary>Reads a body written with the latest schema.</summary>
    object ReadLatest(ref AvroBinaryReader reader);

    /// <summary>The message as a record of the given (any released) version; fields the version lacks are left out.</summary>
    GenericRecord ToRecord(object message, RecordSchema schema);

    /// <summary>The message from a record already resolved to a reader schema; fields it lacks take their C# defaults.</summary>
    object FromRecord(GenericRecord record);
}
