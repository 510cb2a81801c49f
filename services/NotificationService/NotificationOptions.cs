using System.ComponentModel.DataAnnotations;

namespace NotificationService;

/// <summary>Settings of section <c>Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The embedded store's file, used when no connection string named <c>mongodb</c> is given.</summary>
    [Required]
    public string SqlitePath { get; set; } = Path.Combine("data", "notification", "notifications.db");

    /// <summary>The MongoDB database when the connection string names none.</summary>
    [Required]
    public string MongoDatabase { get; set; } = "accounts-notification";

    /// <summary>Where mail goes as .eml files when no <c>Smtp:Host</c> is set.</summary>
    [Required]
    public string PickupDirectory { get; set; } = Path.Combine("data", "notification", "outbox");

    /// <summary>How often the dispatcher looks for due notifications when nothing woke it (other instances, retries).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Due notifications one dispatcher claims, delivers (sharing one SMTP connection) and records in one round trip each; a
    /// crash between delivering and recording re-sends at most this many.
    /// </summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claimed notification is kept from other dispatchers; past it, a crashed dispatcher's claim lapses.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Delivery tries (SMTP attempts) after which a notification is marked failed.</summary>
    [Range(1, int.MaxValue)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>First wait before a notification whose delivery round failed is tried again; doubles per round, capped.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The cap of <see cref="RetryDelay"/>'s doubling.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long <c>GET /users/{id}/notifications?minCount=N</c> waits for the user's N-th notification to be recorded.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReadYourWritesTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often such a wait reads the store again (notifications recorded by another instance wake no one here).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan ReadYourWritesPoll { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The SMTP resilience pipeline within one delivery round (section <c>Notifications:Delivery</c>).</summary>
    public DeliveryPipelineOptions Delivery { get; set; } = new();
}

/// <summary>
/// Polly's strategies around one SMTP send: a time-out per attempt, retries with back-off, a circuit breaker. Polly
/// validates these values itself when the pipeline is built.
/// </summary>
public sealed class DeliveryPipelineOptions
{
    /// <summary>How long one SMTP attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries of a failed attempt within one round.</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>The first retry's delay (exponential back-off with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The share of failed attempts within <see cref="SamplingDuration"/> that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Attempts within <see cref="SamplingDuration"/> before the breaker judges at all.</summary>
    public int MinimumThroughput { get; set; } = 4;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses attempts before it lets one through.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
