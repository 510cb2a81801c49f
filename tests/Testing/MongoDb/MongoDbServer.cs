using Accounts.Testing.Servers;
using MongoDB.Driver;
using Testcontainers.MongoDb;

namespace Accounts.Testing.MongoDb;

/// <summary>
/// A real MongoDB for the conformance suites: <c>MONGODB_URL</c> if set, else a Testcontainers <c>mongo:7.0</c> when a Docker
/// engine answers. Neither exists on machines without Docker and MongoDB cannot be installed there, so then the classes
/// marked <see cref="RequiresMongoDbAttribute"/> report SKIPPED with the reason; they never pass without a server. One
/// server serves the test process; each store under test gets its own database.
/// </summary>
public static class MongoDbServer
{
    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static MongoClient? s_client;

    /// <summary>A fresh, uniquely named database on the server (started on first use).</summary>
    public static async Task<IMongoDatabase> NewDatabaseAsync(string prefix)
    {
        if (ExternalServer.MongoDb.SkipReason is { } reason)
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
        if (ExternalServer.MongoDb.Url is { } url)
        {
            return url;
        }
        var container = new MongoDbBuilder(ExternalServer.MongoDb.Image).Build();
        await container.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return container.GetConnectionString();
    }
}
