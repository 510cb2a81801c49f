namespace Accounts.Testing.Servers;

/// <summary>
/// A server some tests need that cannot be installed on these machines: it comes from an environment variable, else from
/// a Testcontainers container when a Docker engine answers. Without either, the tests that need it are reported skipped
/// with <see cref="SkipReason"/> (see <see cref="RequiresServerAttribute"/>); they never pass without it.
/// </summary>
public sealed class ExternalServer
{
    public static readonly ExternalServer MongoDb = new("MongoDB", "MONGODB_URL", "mongodb://host:27017", "mongo:7.0");

    public static readonly ExternalServer EventStoreDb =
        new("EventStoreDB", "EVENTSTORE_URL", "esdb://host:2113?tls=false", "eventstore/eventstore:23.10.1-bookworm-slim");

    private ExternalServer(string name, string urlVariable, string exampleUrl, string image) =>
        (Name, UrlVariable, ExampleUrl, Image) = (name, urlVariable, exampleUrl, image);

    public string Name { get; }

    /// <summary>The environment variable that names a running server.</summary>
    public string UrlVariable { get; }

    public string ExampleUrl { get; }

    /// <summary>The container image Testcontainers starts when the variable is unset.</summary>
    public string Image { get; }

    /// <summary>The server named by <see cref="UrlVariable"/>, or null.</summary>
    public string? Url => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : null;

    /// <summary>Why the tests that need this server cannot run here, or null when it can be had.</summary>
    public string? SkipReason => Url is null && !DockerEngine.IsAvailable
        ? $"No {Name}: {UrlVariable} is not set and Testcontainers found no Docker engine to start {Image} in. " +
          $"Set {UrlVariable}={ExampleUrl} (or run where Docker is available) to run these tests."
        : null;
}
