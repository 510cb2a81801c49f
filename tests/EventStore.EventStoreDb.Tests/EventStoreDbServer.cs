using DotNet.Testcontainers.Configurations;

namespace EventStore.EventStoreDb.Tests;

/// <summary>
/// Where the conformance suite's EventStoreDB comes from: <c>EVENTSTORE_URL</c> first, else a container started by
/// Testcontainers when a Docker engine answers. No EventStoreDB can be installed as a local binary on these machines, so
/// there is no third source: without either, the suite is reported as skipped (see <see cref="ServerAwareTestFramework"/>).
/// </summary>
public static class EventStoreDbServer
{
    public const string UrlVariable = "EVENTSTORE_URL";

    public const string Image = "eventstore/eventstore:23.10.1-bookworm-slim";

    public const int Port = 2113;

    public const string SkipReason =
        "No EventStoreDB: set EVENTSTORE_URL=esdb://host:2113?tls=false or run where Docker is available " +
        "(EVENTSTORE_URL is unset and Testcontainers found no Docker engine).";

    private static readonly Lazy<bool> DockerAnswers = new(() =>
    {
        try
        {
            return TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;
        }
#pragma warning disable CA1031 // Any failure to find Docker means "no Docker": the suite is then skipped, and says why.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    });

    public static string? Url => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url ? url : null;

    public static bool DockerIsAvailable => DockerAnswers.Value;

    /// <summary>Why the suite cannot run here, or null when a server source exists.</summary>
    public static string? Unavailable => Url is null && !DockerIsAvailable ? SkipReason : null;
}
