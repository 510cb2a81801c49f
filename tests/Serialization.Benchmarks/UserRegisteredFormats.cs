using System.Text.Json;
using Accounts.Contracts;
using Accounts.Contracts.Avro;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;

namespace Accounts.Serialization.Benchmarks;

/// <summary>
/// The same UserRegistered in the three formats. The MassTransit envelope is produced by MassTransit's own
/// <see cref="SystemTextJsonMessageSerializer"/> from a real <see cref="MessageSendContext{T}"/> with the addresses and ids
/// a publish fills in, and read back by its deserializer.
/// </summary>
public sealed class UserRegisteredFormats
{
    public static readonly UserRegistered Message = new(
        Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"), 1, new DateTimeOffset(2026, 11, 24, 10, 30, 15, 123, TimeSpan.Zero),
        "ada.lovelace@example.org", "Ada Lovelace", "en-GB");

    static readonly Uri Destination = new("rabbitmq://localhost/Accounts.Contracts:UserRegistered");

    readonly MessageSendContext<UserRegistered> _sendContext = new(Message)
    {
        SourceAddress = new Uri("rabbitmq://localhost/command-service_bus_7g1oyyfpbrrbxhpdbdqy8xb6br"),
        DestinationAddress = Destination,
        ConversationId = NewId.NextGuid(),
        CorrelationId = Message.UserId,
    };

    public UserRegistered Sample { get; } = Message;

    public byte[] AvroBytes { get; }

    public byte[] JsonBytes { get; }

    public byte[] EnvelopeBytes { get; }

    public UserRegisteredFormats()
    {
        _sendContext.Serializer = SystemTextJsonMessageSerializer.Instance;
        AvroBytes = EncodeAvro();
        JsonBytes = EncodeJson();
        EnvelopeBytes = EncodeEnvelope();
    }

    public byte[] EncodeAvro() => AvroSingleObjectCodec.Latest.Encode(Sample);

    public UserRegistered DecodeAvro() => (UserRegistered)AvroSingleObjectCodec.Latest.Decode(AvroBytes);

    public byte[] EncodeJson() => JsonSerializer.SerializeToUtf8Bytes(Sample, ContractJsonContext.Default.UserRegistered);

    public UserRegistered DecodeJson() => JsonSerializer.Deserialize(JsonBytes, ContractJsonContext.Default.UserRegistered)!;

    public byte[] EncodeEnvelope() => SystemTextJsonMessageSerializer.Instance.GetMessageBody(_sendContext).GetBytes();

    public UserRegistered DecodeEnvelope()
    {
        var context = SystemTextJsonMessageSerializer.Instance.Deserialize(new BytesMessageBody(EnvelopeBytes), EmptyHeaders.Instance, Destination);
        return context.TryGetMessage<UserRegistered>(out var message) && message is not null ? message : throw new InvalidOperationException("The envelope holds no UserRegistered.");
    }
}
