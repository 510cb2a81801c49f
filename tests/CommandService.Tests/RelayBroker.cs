namespace CommandService.Tests;

/// <summary>
/// The tests whose relays publish to the broker run one after another: their subscribers bind to the exchanges of this
/// test process's prefix, so a relay test running beside another would count the other's messages too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RelayBroker
{
    public const string Name = "relay broker";
}
