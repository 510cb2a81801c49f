using System.Text.Json;
using Accounts.Domain;
using EventStore;

namespace CommandService.Infrastructure;

/// <summary>
/// Where events live in the event store and how they are stored: a stream per account (and per reserved address), JSON
/// data, the type under its stable name (<see cref="StoredEventTypes"/>).
/// </summary>
public static class UserStreams
{
    public const string Prefix = "user-";

    public static string For(Guid userId) => Prefix + userId.ToString();

    public static EventData ToEventData(IUserEvent @event, EventMetadata metadata) => Store(@event, @event.OccurredAt, metadata);

    public static EventData ToEventData(IReservationEvent @event, EventMetadata metadata) => Store(@event, @event.OccurredAt, metadata);

    public static IUserEvent ToUserEvent(StoredEvent stored) => Read<IUserEvent>(stored);

    public static IReservationEvent ToReservationEvent(StoredEvent stored) => Read<IReservationEvent>(stored);

    /// <summary>An event as the JSON it is stored as (for the history, after its personal fields were opened).</summary>
    public static JsonElement ToJson(IUserEvent @event) => JsonSerializer.SerializeToElement(@event, @event.GetType(), StoredEventJson.Default);

    private static EventData Store(object @event, DateTimeOffset occurredAt, EventMetadata metadata) =>
        new(Guid.CreateVersion7(occurredAt), StoredEventTypes.NameOf(@event.GetType()),
            JsonSerializer.SerializeToUtf8Bytes(@event, @event.GetType(), StoredEventJson.Default), metadata);

    private static T Read<T>(StoredEvent stored)
        where T : class =>
        StoredEventTypes.ByName.TryGetValue(stored.EventType, out var type) && typeof(T).IsAssignableFrom(type)
            ? (T)JsonSerializer.Deserialize(stored.Data.Span, type, StoredEventJson.Default)!
            : throw new InvalidOperationException($"Event type '{stored.EventType}' in stream '{stored.Stream}' is not a known {typeof(T).Name}.");
}
