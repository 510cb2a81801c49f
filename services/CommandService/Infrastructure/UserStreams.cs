using System.Text.Json;
using Accounts.Domain;
using EventStore;

namespace CommandService.Infrastructure;

/// <summary>Where account events live in the event store and how they are stored: stream per account, JSON data.</summary>
public static class UserStreams
{
    public const string Prefix = "user-";

    public static string For(Guid userId) => Prefix + userId.ToString();

    public static EventData ToEventData(IUserEvent @event, EventMetadata metadata) =>
        new(Guid.CreateVersion7(@event.OccurredAt), UserEventTypes.NameOf(@event),
            JsonSerializer.SerializeToUtf8Bytes(@event, @event.GetType(), StoredEventJson.Default), metadata);

    public static IUserEvent ToUserEvent(StoredEvent stored) =>
        UserEventTypes.ByName.TryGetValue(stored.EventType, out var type)
            ? (IUserEvent)JsonSerializer.Deserialize(stored.Data.Span, type, StoredEventJson.Default)!
            : throw new InvalidOperationException($"Unknown event type '{stored.EventType}' in stream '{stored.Stream}'.");

    public static EventData ToEventData(IReservationEvent @event, EventMetadata metadata) =>
        new(Guid.CreateVersion7(@event.OccurredAt), @event.GetType().Name,
            JsonSerializer.SerializeToUtf8Bytes(@event, @event.GetType(), StoredEventJson.Default), metadata);

    public static IReservationEvent ToReservationEvent(StoredEvent stored) => stored.EventType switch
    {
        nameof(EmailReserved) => JsonSerializer.Deserialize(stored.Data.Span, StoredEventJson.Default.EmailReserved)!,
        nameof(EmailReleased) => JsonSerializer.Deserialize(stored.Data.Span, StoredEventJson.Default.EmailReleased)!,
        _ => throw new InvalidOperationException($"Unknown event type '{stored.EventType}' in stream '{stored.Stream}'."),
    };
}
