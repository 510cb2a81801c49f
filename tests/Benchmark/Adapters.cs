using System.Text.RegularExpressions;

namespace Accounts.Benchmark;

/// <summary>What the measured system ran on: each port's adapter, with the server's address (credentials removed).</summary>
public sealed record Adapters(string EventStore, string Views, string NotificationLog, string Broker)
{
    private const string Embedded = "SQLite (embedded)", GivenService = "not known (service given by URL)";

    /// <summary>The adapters the benchmark configures in the services it starts (a service given by URL: not known).</summary>
    public static Adapters Of(BenchOptions options) => new(
        options.Command is not null ? GivenService : options.EventStore is { } esdb ? $"EventStoreDB ({Redact(esdb)})" : Embedded,
        options.Query is not null ? GivenService : options.MongoDb is { } views ? $"MongoDB ({Redact(views)})" : Embedded,
        options.Notification is not null ? GivenService : options.MongoDb is { } log ? $"MongoDB ({Redact(log)})" : Embedded,
        options.RabbitMq is { } broker ? $"external RabbitMQ ({Redact(broker)})" : "RabbitMQ, a private node of the local rabbitmq-server");

    /// <summary><c>scheme://user:pass@host:port/...</c> without the <c>user:pass@</c>.</summary>
    public static string Redact(string url) => Regex.Replace(url, "(?<=://)[^@/]*@", "", RegexOptions.None, TimeSpan.FromSeconds(1));
}
