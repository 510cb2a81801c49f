using MongoDB.Driver;
using Testcontainers.MongoDb;

namespace Accounts.Testing.MongoDb;

/// <summary>
/// A real MongoDB for the conformance suites: <c>MONGODB_URL</c> if set, else a Testcontainers <c>mongo:7.0</c> when a Docker
/// engine answers. Neither exists on machines without Docker and MongoDB cannot be installed there, so then the MongoDB
/// test classes report SKIPPED with <see cref="SkipReason"/> (see <see cref="AdapterFactAttribute"/>); they never pass
/// without a server. One server serves the test process; each store under test gets its own database.
/// </summary>
public static class MongoDbServer
{
    public const string Image = "mongo:7.0";

    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static MongoClient? s_client;

    /// <summary>Why the MongoDB tests cannot run here, or null when a server can be had.</summary>
    public static string? SkipReason { get; } =
        Environment.GetEnvironmentVariable("MONGODB_URL") is { Length: > 0 } || DockerEngineAnswers()
            ? null
            : "No MongoDB: MONGODB_URL is not set and no Docker engine answers for Testcontainers (mongo:7.0).";

    /// <summary>A fresh, uniquely named database on the server (started on first use).</summary>
    public static async Task<IMongoDatabase> NewDatabaseAsync(string prefix)
    {
        if (SkipReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }
        await StartLock.WaitAsync();
        try
        {
            s_client ??= new MongoClient(await UrlAsync());
        }
        finally
        {
            StartLock.Release();
        }
        return s_client.GetDatabase($"{prefix}-{Guid.NewGuid():N}");
    }

    private static async Task<string> UrlAsync()
    {
        if (Environment.GetEnvironmentVariable("MONGODB_URL") is { Length: > 0 } url)
        {
            return url;
        }
        var container = new MongoDbBuilder(Image).Build();
        await container.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return container.GetConnectionString();
    }

    private static bool DockerEngineAnswers() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");
}
