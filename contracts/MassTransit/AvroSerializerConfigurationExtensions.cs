using System.Reflection;
using Accounts.Contracts.Avro;
using MassTransit;

namespace Accounts.Contracts.MassTransit;

public static class AvroSerializerConfigurationExtensions
{
    static readonly MethodInfo SendWithAvroMethod =
        typeof(AvroSerializerConfigurationExtensions).GetMethod(nameof(SendWithAvro), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>
    /// Every contract message is sent and published as Avro, and Avro is the only content type the bus reads (also assumed
    /// when a message has none): anything else is unreadable and goes to the error queue with the reason. MassTransit's JSON
    /// envelope stays the serializer of MassTransit's own messages (faults), which no service here consumes.
    /// </summary>
    /// <param name="pins">Contract versions this service was built against (default: the latest of each).</param>
    public static void UseAvroSerializer(this IBusFactoryConfigurator configurator, ContractVersionPins? pins = null)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var codec = new AvroSingleObjectCodec(AvroContracts.Default, pins);
        var factory = new AvroSerializerFactory(new AvroMessageSerializer(codec));

        configurator.ClearSerialization();
        configurator.UseJsonSerializer();
        configurator.AddSerializer(factory, isSerializer: false);
        configurator.AddDeserializer(factory, isDefault: true);

        foreach (var messageType in codec.Contracts.MessageTypes)
            SendWithAvroMethod.MakeGenericMethod(messageType).Invoke(null, [configurator]);
    }

    static void SendWithAvro<T>(IBusFactoryConfigurator configurator)
        where T : class => configurator.Send<T>(send => send.UseSerializer(AvroMessageSerializer.AvroContentType));
}
