using System.Text.Json;
using EventStore;
using Microsoft.Extensions.Options;

namespace CommandService.Integration;

/// <summary>
/// With several command-service instances on one event store, exactly one relay publishes at a time: the one holding this
/// lease. The lease is a stream in the event store; each claim is appended with the expected revision it was read at, so of
/// two instances claiming at once one wins and the other gets a conflict. The holder renews every third of
/// <see cref="RelayOptions.LeaseDuration"/>; the others wait until the last claim expires and then claim it (take-over). Time
/// comes from the <see cref="TimeProvider"/>. The stream grows by one small event per renewal.
/// </summary>
public sealed class RelayLease(IEventStore store, TimeProvider clock, IOptions<RelayOptions> options, ILogger<RelayLease> logger)
{
    public const string Stream = "relay-lease";
    public const string EventType = "RelayLeaseClaimed";

    private TimeSpan Duration => options.Value.LeaseDuration; // read when used: a bad value is reported by the host's validation first
    private RelayLeaseClaim? _current;
    private long? _revision;

    /// <summary>This instance, as its claims name it.</summary>
    public string Holder { get; } = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    /// <summary>
    /// Waits for the lease, runs <paramref name="work"/> while holding it and renewing it, cancels the work when the lease is
    /// lost, and then waits for it again. Returns (or throws) when the work does; a failing renewal throws.
    /// </summary>
    public async Task RunWhileHeldAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        while (true)
        {
            await AcquireAsync(cancellationToken);
            logger.LogInformation("Relay lease taken by {Holder} until {ExpiresAt}", Holder, _current?.ExpiresAt);
            try
            {
                if (await RelayWhileHeldAsync(work, cancellationToken))
                    return;
            }
            finally
            {
                if (cancellationToken.IsCancellationRequested)
                    await ReleaseAsync();
            }
            logger.LogWarning("Relay lease lost by {Holder}: {Other} holds it until {ExpiresAt}", Holder, _current?.Holder, _current?.ExpiresAt);
        }
    }

    /// <summary>True when the work ended; false when the lease was lost (and the work cancelled).</summary>
    private async Task<bool> RelayWhileHeldAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = work(held.Token);
        var renewing = KeepRenewingAsync(held.Token);
        var first = await Task.WhenAny(running, renewing);
        await held.CancelAsync();
        if (first == running)
        {
            await Task.WhenAny(renewing); // cancelled now; its outcome no longer matters
            await running;
            return true;
        }
        try
        {
            await running;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stopped because the lease was lost.
        }
        await renewing; // a failed renewal throws; a lost lease returns
        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }

    /// <summary>On the way out (the host stops), a claim that expires now: another instance need not wait for the lease to lapse.</summary>
    private async Task ReleaseAsync()
    {
        if (_current?.Holder != Holder)
            return;
        try
        {
            await AppendClaimAsync(new RelayLeaseClaim(Holder, clock.GetUtcNow()), CancellationToken.None);
            logger.LogInformation("Relay lease released by {Holder}", Holder);
        }
        catch (Exception e) when (e is not OperationCanceledException) // whatever the store says, the lease lapses anyway
        {
            logger.LogWarning(e, "Relay lease of {Holder} not released; it lapses at {ExpiresAt}", Holder, _current?.ExpiresAt);
        }
    }

    private async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (!await TryClaimAsync(cancellationToken))
        {
            var wait = (_current?.ExpiresAt ?? clock.GetUtcNow()) - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, clock, cancellationToken);
        }
    }

    /// <summary>Renews every third of the lease's duration; returns when a renewal finds the lease taken by another.</summary>
    private async Task KeepRenewingAsync(CancellationToken cancellationToken)
    {
        do
        {
            await Task.Delay(Duration / 3, clock, cancellationToken);
        }
        while (await TryClaimAsync(cancellationToken));
    }

    private async Task<bool> TryClaimAsync(CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (!RelayLeaseClaim.MayClaim(_current, Holder, now))
            return false;

        try
        {
            await AppendClaimAsync(new RelayLeaseClaim(Holder, now + Duration), cancellationToken);
            return true;
        }
        catch (WrongExpectedRevisionException)
        {
            return false; // another instance wrote first; the next read says who holds it
        }
    }

    private async Task AppendClaimAsync(RelayLeaseClaim claim, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var data = new EventData(Guid.CreateVersion7(now), EventType, JsonSerializer.SerializeToUtf8Bytes(claim, LeaseJson.Default.RelayLeaseClaim),
            new EventMetadata(null, null, null, null, now));
        var appended = await store.AppendAsync(Stream, ExpectedRevision.After(_revision), [data], cancellationToken);
        (_current, _revision) = (claim, appended.Revision);
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var newer = await store.ReadStreamAsync(Stream, (_revision ?? -1) + 1, cancellationToken: cancellationToken);
        if (newer.Count > 0)
            (_current, _revision) = (JsonSerializer.Deserialize(newer[^1].Data.Span, LeaseJson.Default.RelayLeaseClaim), newer[^1].Revision);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(RelayLeaseClaim))]
internal sealed partial class LeaseJson : System.Text.Json.Serialization.JsonSerializerContext;
