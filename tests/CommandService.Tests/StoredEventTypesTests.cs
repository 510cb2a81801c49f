using System.Text;
using Accounts.Domain;
using CommandService.Infrastructure;
using EventStore;

namespace CommandService.Tests;

/// <summary>Every event the command service stores is stored under an explicit, unique, never-changing name.</summary>
public sealed class StoredEventTypesTests
{
    private static readonly Guid Ada = Guid.CreateVersion7();
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly object[] Samples =
    [
        new UserRegistered(Ada, "ada@example.com", "Ada", Now),
        new UserEmailChanged(Ada, "ada@example.com", "ada@new.org", Now),
        new UserRenamed(Ada, "Ada", "Bea", Now),
        new UserDeactivated(Ada, "moved away", Now),
        new UserReactivated(Ada, Now),
        new UserErased(Ada, Now),
        new EmailReserved(Ada, "ada@example.com", Now),
        new EmailReleased(Ada, "ada@example.com", Now),
    ];

    [Fact]
    public void Every_stored_event_type_of_the_domain_has_a_name_and_no_name_is_used_twice()
    {
        var storedTypes = typeof(IUserEvent).Assembly.GetTypes()
            .Where(t => t.IsClass && (typeof(IUserEvent).IsAssignableFrom(t) || typeof(IReservationEvent).IsAssignableFrom(t)))
            .ToHashSet();
        Assert.Equal(storedTypes, StoredEventTypes.All.Select(entry => entry.Type).ToHashSet());
        Assert.Equal(StoredEventTypes.All.Count, StoredEventTypes.All.Select(entry => entry.Type).Distinct().Count());
        Assert.Equal(StoredEventTypes.All.Count, StoredEventTypes.All.Select(entry => entry.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(storedTypes, Samples.Select(sample => sample.GetType()).ToHashSet());
    }

    [Fact]
    public void The_names_are_the_ones_already_stored()
    {
        // Event stores written before the map existed hold these names: changing one would orphan those events.
        Assert.Equal(
            ["EmailReleased", "EmailReserved", "UserDeactivated", "UserEmailChanged", "UserErased", "UserReactivated", "UserRegistered", "UserRenamed"],
            StoredEventTypes.All.Select(entry => entry.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_stored_event_reads_back_as_written_under_its_name()
    {
        var metadata = new EventMetadata(null, null, null, null, Now);
        foreach (var sample in Samples)
        {
            var (data, read) = sample switch
            {
                IUserEvent e => RoundTrip(UserStreams.ToEventData(e, metadata), UserStreams.ToUserEvent),
                IReservationEvent e => RoundTrip(UserStreams.ToEventData(e, metadata), UserStreams.ToReservationEvent),
                _ => throw new InvalidOperationException(sample.GetType().Name),
            };
            Assert.Equal(StoredEventTypes.NameOf(sample.GetType()), data.EventType);
            Assert.Equal(sample, read);
        }
    }

    [Fact]
    public void A_reservation_stored_before_the_map_existed_still_reads()
    {
        var stored = Stored("EmailReserved", $$"""{"userId":"{{Ada}}","email":"ada@example.com","occurredAt":"2025-01-02T03:04:05+00:00"}""");
        Assert.Equal(new EmailReserved(Ada, "ada@example.com", Now), UserStreams.ToReservationEvent(stored));
    }

    [Fact]
    public void An_unknown_name_or_an_event_of_the_other_kind_is_an_error_not_ignored()
    {
        Assert.Throws<InvalidOperationException>(() => UserStreams.ToUserEvent(Stored("UserForgotten", "{}")));
        Assert.Throws<InvalidOperationException>(() => UserStreams.ToUserEvent(Stored("EmailReserved", "{}")));
        Assert.Throws<InvalidOperationException>(() => UserStreams.ToReservationEvent(Stored("UserRegistered", "{}")));
    }

    private static (EventData Data, object Read) RoundTrip<T>(EventData data, Func<StoredEvent, T> read)
        where T : class =>
        (data, read(new StoredEvent("stream-1", 0, 1, data.EventId, data.EventType, data.Data, data.Metadata)));

    private static StoredEvent Stored(string type, string json) =>
        new("stream-1", 0, 1, Guid.CreateVersion7(), type, Encoding.UTF8.GetBytes(json), new EventMetadata(null, null, null, null, Now));
}
