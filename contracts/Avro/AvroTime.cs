namespace Accounts.Contracts.Avro;

/// <summary>timestamp-micros: microseconds since the Unix epoch, UTC. Sub-microsecond ticks are dropped.</summary>
public static class AvroTime
{
    const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static DateTimeOffset FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + (micros * TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>Apache.Avro's generic reader hands timestamp-micros out as a UTC <see cref="DateTime"/>.</summary>
    public static DateTimeOffset FromGeneric(object? value) => value switch
    {
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        long micros => FromMicros(micros),
        _ => throw new InvalidCastException($"Expected a timestamp-micros value, got {value?.GetType().Name ?? "null"}."),
    };
}
