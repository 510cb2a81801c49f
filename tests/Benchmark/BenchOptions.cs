using System.Globalization;

namespace Accounts.Benchmark;

/// <summary>The command line. Every service URL or the broker left out is started by the benchmark itself.</summary>
public sealed record BenchOptions
{
    public Uri? Command { get; init; }
    public Uri? Query { get; init; }
    public Uri? Notification { get; init; }
    /// <summary>An external broker (<c>--rabbitmq</c>, else <c>RABBITMQ_URL</c>); none: a private local node.</summary>
    public string? RabbitMq { get; init; } = FromEnvironment("RABBITMQ_URL");

    /// <summary>An external EventStoreDB for the command service (<c>--eventstore</c>, else <c>EVENTSTORE_URL</c>); none: SQLite.</summary>
    public string? EventStore { get; init; } = FromEnvironment("EVENTSTORE_URL");

    /// <summary>An external MongoDB for the views and the notification log (<c>--mongodb</c>, else <c>MONGODB_URL</c>); none: SQLite.</summary>
    public string? MongoDb { get; init; } = FromEnvironment("MONGODB_URL");
    public double BaselineSeconds { get; init; } = 10;
    public int BaselineInFlight { get; init; } = 256;
    public ushort BaselinePrefetch { get; init; } = 200;
    public double SaturationSeconds { get; init; } = 15;

    /// <summary>
    /// Saturating load before the measured window, not counted: the services start cold, and the JIT's tiering of the hot
    /// paths alone took about a sixth of both cores in the first 30 s (perf). The rebuild phase warms up as long, with rebuilds.
    /// 0 measures both from the cold start.
    /// </summary>
    public double WarmupSeconds { get; init; } = 20;
    public int Workers { get; init; } = 64;
    /// <summary>The paced phase's commands/s; null: a twentieth of the baseline measured in the same run (else 500).</summary>
    public int? PacedRate { get; init; }

    public const int BaselineShareOfPacedRate = 20, PacedRateWithoutBaseline = 500;
    public double PacedSeconds { get; init; } = 30;
    public int NotificationSampleEvery { get; init; } = 10;
    public double DrainTimeoutSeconds { get; init; } = 40;
    public bool KeepData { get; init; }

    /// <summary>Keep the services' per-caller command rate limit on (off by default: the load is one caller).</summary>
    public bool RateLimited { get; init; }
    public IReadOnlyList<string> ServiceArgs { get; init; } = [];

    /// <summary>The development key the services started here check tokens with (Auth__SigningKey, else a new one).</summary>
    public string SigningKey { get; init; } = Environment.GetEnvironmentVariable("Auth__SigningKey") is { Length: > 0 } key
        ? key : ServiceDefaults.Auth.DevelopmentTokens.NewSigningKey();
    public IReadOnlySet<string> Phases { get; init; } = AllPhases;
    public string Output { get; init; } = Path.Combine("bench-results", "latest.json");

    public static readonly IReadOnlySet<string> AllPhases = new HashSet<string> { "baseline", "saturation", "paced", "rebuild" };

    public const string Usage = """
        make bench [ARGS="..."]   or   dotnet run -c Release --project tests/Benchmark -- [options]
          --command URL --query URL --notification URL   use running services instead of starting them
          --rabbitmq AMQP_URL                            use this broker instead of a private local node
                                                         (default: RABBITMQ_URL when set)
          --eventstore ESDB_URL                          the command service on this EventStoreDB instead of SQLite
                                                         (default: EVENTSTORE_URL when set)
          --mongodb MONGODB_URL                          the views and notification log on this MongoDB instead of
                                                         SQLite (default: MONGODB_URL when set)
          --baseline-seconds 10 --baseline-in-flight 256 --baseline-prefetch 200
          --saturation-seconds 15 --workers 64
          --warmup-seconds 20                            saturating load before the measured window, and rebuilds
                                                         before the measured rebuild (0: both cold)
          --rate N --paced-seconds 30 --notification-sample-every 10
                                                         paced commands/s (default: the run's baseline ÷ 20,
                                                         500 without a baseline phase)
          --drain-timeout 40                             seconds to wait for the views after a phase
          --phases baseline,saturation,paced             run only these phases
          --output bench-results/latest.json
          --service-arg ARG                              pass ARG to every service started (repeatable),
                                                         e.g. --service-arg --Logging:LogLevel:Default=Warning
          --signing-key BASE64                           the services' Auth:SigningKey (default: Auth__SigningKey,
                                                         else a new key for the services started here)
          --rate-limit                                   keep the per-caller command rate limit on (default: off)
          --keep-data                                    keep the temp folder (stores, service logs)
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException(Usage);
            }
            if (name == "--keep-data")
            {
                options = options with { KeepData = true };
                continue;
            }
            if (name == "--rate-limit")
            {
                options = options with { RateLimited = true };
                continue;
            }
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.\n{Usage}");
            }
            var value = args[++i];
            options = name switch
            {
                "--command" => options with { Command = new Uri(value) },
                "--query" => options with { Query = new Uri(value) },
                "--notification" => options with { Notification = new Uri(value) },
                "--rabbitmq" => options with { RabbitMq = value },
                "--eventstore" => options with { EventStore = value },
                "--mongodb" => options with { MongoDb = value },
                "--baseline-seconds" => options with { BaselineSeconds = Number(name, value) },
                "--baseline-in-flight" => options with { BaselineInFlight = (int)Number(name, value) },
                "--baseline-prefetch" => options with { BaselinePrefetch = (ushort)Number(name, value) },
                "--saturation-seconds" => options with { SaturationSeconds = Number(name, value) },
                "--warmup-seconds" => options with { WarmupSeconds = value == "0" ? 0 : Number(name, value) },
                "--workers" => options with { Workers = (int)Number(name, value) },
                "--rate" => options with { PacedRate = (int)Number(name, value) },
                "--paced-seconds" => options with { PacedSeconds = Number(name, value) },
                "--notification-sample-every" => options with { NotificationSampleEvery = (int)Number(name, value) },
                "--drain-timeout" => options with { DrainTimeoutSeconds = Number(name, value) },
                "--phases" => options with { Phases = Phase(value) },
                "--output" => options with { Output = value },
                "--signing-key" => options with { SigningKey = value },
                "--service-arg" => options with { ServiceArgs = [.. options.ServiceArgs, value] },
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }
        return options;
    }

    /// <summary>The paced phase's rate and where it came from: --rate, else the baseline ÷ 20, else 500.</summary>
    public (int Rate, string Source) PacedRateFor(BaselineResult? baseline) =>
        PacedRate is { } given ? (given, "--rate")
        : baseline is { MessagesPerSecond: > 0 } b
            ? (Math.Max(1, (int)Math.Round(b.MessagesPerSecond / BaselineShareOfPacedRate)), $"baseline ÷ {BaselineShareOfPacedRate}")
            : (PacedRateWithoutBaseline, "default (no baseline phase)");

    private static string? FromEnvironment(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive number, not '{value}'.");

    private static HashSet<string> Phase(string value)
    {
        var phases = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        return phases.Count > 0 && phases.IsSubsetOf(AllPhases)
            ? phases
            : throw new ArgumentException($"--phases takes a comma-separated subset of {string.Join(',', AllPhases)}.");
    }
}
