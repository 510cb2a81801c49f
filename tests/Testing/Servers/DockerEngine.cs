using DotNet.Testcontainers.Configurations;

namespace Accounts.Testing.Servers;

/// <summary>Whether Testcontainers can start containers here, by Testcontainers' own detection (DOCKER_HOST, its settings, the usual sockets).</summary>
public static class DockerEngine
{
    private static readonly Lazy<bool> Detected = new(() =>
    {
        try
        {
            return TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;
        }
#pragma warning disable CA1031 // Any failure to find Docker means "no Docker": tests that need it then say so.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    });

    public static bool IsAvailable => Detected.Value;
}
