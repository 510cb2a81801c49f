using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;

namespace Accounts.Contracts.MassTransit;

/// <summary>The decoded message of one received Avro body, with its headers read from the transport headers.</summary>
public sealed class AvroSerializerContext(MessageContext messageContext, object message, MessageBody body, AvroMessageSerializer serializer)
    : BaseSerializerContext(SystemTextJsonMessageSerializer.Instance, messageContext, MessageTypeCache.GetMessageTypeNames(message.GetType()))
{
    public object Message { get; } = message;

    public override bool TryGetMessage<T>([NotNullWhen(true)] out T? message)
        where T : class
    {
        message = Message as T;
        return message is not null;
    }

    public override bool TryGetMessage(Type messageType, [NotNullWhen(true)] out object? message)
    {
        message = messageType.IsInstanceOfType(Message) ? Message : null;
        return message is not null;
    }

    public override bool IsSupportedMessageType<T>()
        where T : class => Message is T;

    public override bool IsSupportedMessageType(Type messageType) => messageType.IsInstanceOfType(Message);

    /// <summary>Forwarding (error queue, redelivery) copies the original bytes, so nothing a newer writer sent is lost.</summary>
    public override IMessageSerializer GetMessageSerializer() => new CopyBodySerializer(AvroMessageSerializer.AvroContentType, body);

    public override IMessageSerializer GetMessageSerializer<T>(MessageEnvelope envelope, T message) => serializer;

    public override IMessageSerializer GetMessageSerializer(object message, string[] messageTypes) => serializer;

    public override Dictionary<string, object> ToDictionary<T>(T? message)
        where T : class =>
        message is null
            ? []
            : JsonSerializer.Deserialize<Dictionary<string, object>>(JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), SystemTextJsonMessageSerializer.Options), SystemTextJsonMessageSerializer.Options) ?? [];
}
