using System.Reflection;
using Accounts.Contracts.Avro;
using MassTransit;

namespace Accounts.Contracts.MassTransit;

public static class AvroSerializerConfigurationExtensions
{
    static readonly MethodInfo SendWithAvroMethod =
        typeof(AvroSerializerConfigurationExtensions).GetMethod(nameof(SendWithAvro), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>
    /// Every contract message is sent and published as Avro; the bus reads Avro and MassTransit's JSON envelope, which
    /// stays the serializer of MassTransit's own messages (faults), and nothing else: any other content type is unreadable
    /// and goes to the error queue.
    /// </summary>
    /// <param name="pins">Contract versions this service was built against (default: the latest of each).</param>
    public static void UseAvroSerializer(this IBusFactoryConfigurator configurator, ContractVersionPins? pins = null)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var codec = new AvroSingleObjectCodec(AvroContracts.Default, pins);
        var factory = new AvroSerializerFactory(new AvroMessageSerializer(codec));

        configurator.ClearSerialization();
        configurator.UseJsonSerializer();
        configurator.UseJsonDeserializer(isDefault: true);
        configurator.AddSerializer(factory, isSerializer: false);
        configurator.AddDeserializer(factory, isDefault: false);

        foreach (var messageType in codec.Contracts.MessageTypes)
            SendWithAvroMethod.MakeGenericMethod(messageType).Invoke(null, [configurator]);
    }

    static void SendWithAvro<T>(IBusFactoryConfigurator configurator)
        where T : class => configurator.Send<T>(send => send.UseSerializer(AvroMessageSerializer.AvroContentType));
}
