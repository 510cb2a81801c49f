using System.Net.Mime;
using MassTransit;

namespace Accounts.Contracts.MassTransit;

public sealed class AvroSerializerFactory(AvroMessageSerializer serializer) : ISerializerFactory
{
    public ContentType ContentType => AvroMessageSerializer.AvroContentType;

    public IMessageSerializer CreateSerializer() => serializer;

    public IMessageDeserializer CreateDeserializer() => serializer;
}
