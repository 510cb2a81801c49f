using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace EndToEnd.Tests;

/// <summary>
/// The container stack as `make up` meets it, checked without Docker: the compose file (anchors and merge keys resolved,
/// as compose renders them), the collector and Prometheus settings it mounts, and the service Dockerfile.
/// </summary>
public sealed partial class ContainerStackTests
{
    private static readonly string Root = FindRoot();
    private static readonly Dictionary<object, object> Services = Map(Yaml("docker-compose.yml")["services"]);
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(Root, "infra/service.Dockerfile"));

    private static IEnumerable<string> ServicesBuiltHere =>
        Services.Where(s => Map(s.Value).ContainsKey("build")).Select(s => (string)s.Key);

    [Fact]
    public void RabbitMq_has_a_fixed_hostname_so_a_recreated_container_finds_its_data()
    {
        var rabbitMq = Map(Services["rabbitmq"]);
        Assert.Matches("^[a-z][a-z0-9-]*$", (string)rabbitMq["hostname"]);
        Assert.Contains(List(rabbitMq["volumes"]), volume => ((string)volume).EndsWith(":/var/lib/rabbitmq", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_service_sends_its_telemetry_to_the_collector()
    {
        foreach (var name in ServicesBuiltHere)
        {
            var service = Map(Services[name]);
            Assert.Equal("http://otel-collector:4317", Map(service["environment"])["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Contains("otel-collector", Map(service["depends_on"]).Keys.Cast<string>());
        }
    }

    [Fact]
    public void The_collector_sends_traces_to_jaeger_metrics_to_prometheus_and_prints_logs()
    {
        var mount = Assert.Single(List(Map(Services["otel-collector"])["volumes"]));
        var config = Yaml(((string)mount).Split(':')[0]);
        var pipelines = Map(Map(config["service"])["pipelines"]);
        Assert.Equal(["otlp"], Strings(Map(pipelines["traces"])["receivers"]));
        Assert.Equal(["otlp/jaeger"], Strings(Map(pipelines["traces"])["exporters"]));
        Assert.Equal(["prometheus"], Strings(Map(pipelines["metrics"])["exporters"]));
        Assert.Equal(["debug"], Strings(Map(pipelines["logs"])["exporters"]));
        var exporters = Map(config["exporters"]);
        Assert.Equal("jaeger:4317", Map(exporters["otlp/jaeger"])["endpoint"]);
        Assert.Contains("jaeger", Services.Keys);

        var metricsPort = ((string)Map(exporters["prometheus"])["endpoint"]).Split(':')[^1];
        var prometheus = Yaml(((string)List(Map(Services["prometheus"])["volumes"])[0]).Split(':')[0]);
        var targets = Strings(Map(List(Map(List(prometheus["scrape_configs"])[0])["static_configs"])[0])["targets"]);
        Assert.Equal([$"otel-collector:{metricsPort}"], targets);
    }

    [Fact]
    public void Jaeger_keeps_a_bounded_number_of_traces_and_eventstore_names_its_platform()
    {
        Assert.True(int.Parse((string)Map(Map(Services["jaeger"])["environment"])["MEMORY_MAX_TRACES"], null) > 0);
        Assert.Equal("linux/amd64", Map(Services["eventstore"])["platform"]);
    }

    [Fact]
    public void The_images_are_on_the_net_line_and_sdk_band_the_project_builds_with()
    {
        var sdkBand = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "global.json"))).RootElement
            .GetProperty("sdk").GetProperty("version").GetString()![..6]; // "10.0.4" of "10.0.400"
        var sdk = ImageTag("sdk");
        Assert.True(sdk == "10.0" || sdk.StartsWith(sdkBand, StringComparison.Ordinal) && sdk.Length == 8,
            $"sdk:{sdk} is neither the floating 10.0 line nor a {sdkBand}xx SDK");

        var runtime = ImageTag("aspnet");
        Assert.True(runtime == "10.0" || System.Version.Parse(runtime) >= new System.Version(10, 0, Environment.Version.Build),
            $"aspnet:{runtime} is older than the runtime the tests run on ({Environment.Version})");
    }

    [Fact]
    public void Kestrel_gets_its_port_once_from_the_image()
    {
        var instructions = Dockerfile.Split('\n').Where(line => !line.TrimStart().StartsWith('#'));
        Assert.DoesNotContain(instructions, line => line.Contains("ASPNETCORE_URLS", StringComparison.Ordinal));
        Assert.DoesNotContain(ServicesBuiltHere, name => Map(Map(Services[name])["environment"]).ContainsKey("ASPNETCORE_URLS"));
    }

    [Fact]
    public void Packages_are_restored_in_a_layer_of_their_own_from_every_project_file_a_service_needs()
    {
        var lines = Dockerfile.Split('\n').Select(line => line.Trim()).ToList();
        var restore = lines.FindIndex(line => line.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var copyAll = lines.IndexOf("COPY . .");
        Assert.InRange(restore, 0, copyAll - 1);
        Assert.Contains("--no-restore", lines[copyAll + 1], StringComparison.Ordinal);

        var copiedBeforeRestore = lines.Take(restore).Where(line => line.StartsWith("COPY ", StringComparison.Ordinal))
            .SelectMany(line => line.Split(' ')[1..^1]).ToHashSet();
        foreach (var service in ServicesBuiltHere.Select(name => (string)Map(Map(Map(Services[name])["build"])["args"])["SERVICE"]))
        {
            foreach (var project in ProjectClosure($"services/{service}/{service}.csproj"))
            {
                Assert.Contains(project, copiedBeforeRestore);
            }
        }
    }

    private static string ImageTag(string image) =>
        DotnetImage().Matches(Dockerfile).Single(m => m.Groups["image"].Value == image).Groups["tag"].Value;

    /// <summary>The project and every project it references, directly or not, as paths from the repository root.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var found = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }
            var folder = Path.GetDirectoryName(next)!;
            foreach (var reference in XDocument.Load(Path.Combine(Root, next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(Root, folder, reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(Root, full).Replace('\\', '/'));
            }
        }
        return found;
    }

    private static Dictionary<object, object> Yaml(string path)
    {
        using var reader = new StreamReader(Path.Combine(Root, path));
        return Map(new DeserializerBuilder().Build().Deserialize(new MergingParser(new Parser(reader)))!);
    }

    private static Dictionary<object, object> Map(object value) => Assert.IsType<Dictionary<object, object>>(value);

    private static List<object> List(object value) => Assert.IsType<List<object>>(value);

    private static List<string> Strings(object value) => [.. List(value).Cast<string>()];

    private static string FindRoot()
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "Microservices.sln")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("No Microservices.sln above the test binaries.");
        }
        return folder;
    }

    [GeneratedRegex(@"^FROM mcr\.microsoft\.com/dotnet/(?<image>sdk|aspnet):(?<tag>\S+)", RegexOptions.Multiline)]
    private static partial Regex DotnetImage();
}
