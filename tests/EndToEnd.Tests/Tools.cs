using Accounts.Testing.Servers;

[assembly: TestFramework(ServerAwareTestFramework.TypeName, ServerAwareTestFramework.AssemblyName)]

namespace EndToEnd.Tests;

/// <summary>Where the programs the dashboard and browser tests run are found (or why they are not).</summary>
public static class Tools
{
    public const string DashboardPackage = "aspire.dashboard.sdk.linux-x64", DashboardVersion = "13.6.5";

    public const string Chromium = "/usr/bin/chromium";

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The dashboard binary in the NuGet cache (restored with services/AppHost), or null.</summary>
    public static string? DashboardBinary
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
                ? packages
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var binary = Path.Combine(cache, DashboardPackage, DashboardVersion, "tools", "Aspire.Dashboard");
            return File.Exists(binary) ? binary : null;
        }
    }

    /// <summary>A service's own build, in the configuration these tests were built in.</summary>
    public static string ServiceDll(string project) =>
        Path.Combine(RepoRoot, "services", project, "bin", Configuration, "net10.0", project + ".dll");

    public static string BrowserScripts => Path.Combine(RepoRoot, "tests", "Browser");

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Microservices.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"no Microservices.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>The class needs the Aspire dashboard binary (linux-x64, from the NuGet package the app host restores).</summary>
public sealed class RequiresDashboardAttribute : RequiresServerAttribute
{
    public override string? SkipReason => Tools.DashboardBinary is null
        ? $"No Aspire dashboard: {Tools.DashboardPackage} {Tools.DashboardVersion} is not in the NuGet cache (linux-x64 only; " +
          "`dotnet restore services/AppHost` brings it)."
        : null;
}

/// <summary>The class needs the dashboard, Debian's Chromium and the browser scripts' node packages (`make setup`).</summary>
public sealed class RequiresBrowserAttribute : RequiresServerAttribute
{
    public override string? SkipReason =>
        new RequiresDashboardAttribute().SkipReason
        ?? (!File.Exists(Tools.Chromium) ? $"No browser: {Tools.Chromium} is missing (apt-get install chromium, or `make setup` as root)." : null)
        ?? (!Directory.Exists(Path.Combine(Tools.BrowserScripts, "node_modules", "playwright-core"))
            ? "No playwright-core: run `npm ci` in tests/Browser (`make setup` does)." : null);
}
