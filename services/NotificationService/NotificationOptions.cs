namespace NotificationService;

/// <summary>Settings of section <c>Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The embedded store's file, used when no connection string named <c>mongodb</c> is given.</summary>
    public string SqlitePath { get; set; } = Path.Combine("data", "notification", "notifications.db");

    /// <summary>The MongoDB database when the connection string names none.</summary>
    public string MongoDatabase { get; set; } = "accounts-notification";

    /// <summary>Where mail goes as .eml files when no <c>Smtp:Host</c> is set.</summary>
    public string PickupDirectory { get; set; } = Path.Combine("data", "notification", "outbox");

    /// <summary>How often the dispatcher looks for due notifications when nothing woke it (other instances, retries).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed notification is kept from other dispatchers; past it, a crashed dispatcher's claim lapses.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Delivery tries (SMTP attempts) after which a notification is marked failed.</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>First wait before a notification whose delivery round failed is tried again; doubles per round, capped.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);


    /// <summary>The SMTP resilience pipeline within one delivery round.</summary>
    public DeliveryPipelineOptions Delivery { get; set; } = new();
}

public sealed class DeliveryPipelineOptions
{
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public int RetryAttempts { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public double FailureRatio { get; set; } = 0.5;

    public int MinimumThroughput { get; set; } = 4;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
