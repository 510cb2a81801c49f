using System.ComponentModel.DataAnnotations;

namespace CommandService;

/// <summary>Settings of section <c>Relay</c>: how the relay publishes the event log to the broker.</summary>
public sealed class RelayOptions
{
    public const string SectionName = "Relay";

    /// <summary>Events awaiting the broker's confirm at once (in the batch in flight and the one collecting).</summary>
    [Range(1, 65_536)]
    public int MaxInFlight { get; set; } = 512;

    /// <summary>The most events one batch carries (one batch is in flight at a time; the next collects what the log brings meanwhile).</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// How long a batch with nothing in flight before it waits for more events before it is published (0: at once). A
    /// millisecond turns the lone messages of a moderate load into batches of a few, which the broker and the consumers
    /// handle for a fraction of the CPU.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Confirmed publishes after which the checkpoint is stored while busy; it is stored when the relay idles too (<see cref="CheckpointInterval"/>).</summary>
    [Range(1, int.MaxValue)]
    public int CheckpointEvery { get; set; } = 1000;

    /// <summary>
    /// While the relay idles between lone publishes, its checkpoint is stored at most this often (the first idle stores at
    /// once). A crash re-publishes what followed the checkpoint, which the consumers drop as duplicates; 0 stores whenever idle.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the relay waits for the broker to confirm a publish before it gives up on the connection's in-flight
    /// publishes and relays again from its checkpoint. A publish in flight while the broker dies can stay unconfirmed
    /// forever after the client reconnects (rabbitmq-dotnet-client issue 1930), which would stop the relay for good.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a relay's lease lasts unless renewed (every third of it): with several instances on one event store only the
    /// holder publishes, and when it stops or dies another takes over at most this long after its last renewal.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);
}
