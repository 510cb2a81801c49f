using System.Reflection;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EndToEnd.Tests;

/// <summary>
/// Every manifest under infra/k8s parsed strictly: built-in kinds into the KubernetesClient models, the operators' custom
/// resources into the small models of <see cref="RabbitmqCluster"/> and <see cref="MongoDbCommunity"/>, kustomizations into
/// <see cref="Kustomization"/>. An unknown (misspelled) field anywhere fails; then what the deployment promises is checked.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string K8s = Path.Combine(FindRoot(), "infra", "k8s");
    private static readonly string[] Services = ["command-service", "query-service", "notification-service"];

    private static readonly Dictionary<string, Type> Kinds = typeof(V1Pod).Assembly.GetTypes()
        .Select(type => (Type: type, Entity: type.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(t => t.Entity is not null && typeof(IKubernetesObject).IsAssignableFrom(t.Type))
        .Select(t => (Key: $"{(string.IsNullOrEmpty(t.Entity!.Group) ? "" : t.Entity.Group + "/")}{t.Entity.ApiVersion}/{t.Entity.Kind}", t.Type))
        .DistinctBy(t => t.Key)
        .Concat([(Key: "rabbitmq.com/v1beta1/RabbitmqCluster", Type: typeof(RabbitmqCluster)), (Key: "mongodbcommunity.mongodb.com/v1/MongoDBCommunity", Type: typeof(MongoDbCommunity))])
        .ToDictionary(t => t.Key, t => t.Type);

    private static readonly List<object> Objects = [.. Directory.GetFiles(K8s, "*.yaml", SearchOption.AllDirectories)
        .Where(file => Path.GetFileName(file) != "kustomization.yaml")
        .SelectMany(Load)];

    private static IEnumerable<object> Load(string file)
    {
        try
        {
            return KubernetesYaml.LoadAllFromString(File.ReadAllText(file), Kinds, strict: true);
        }
        catch (Exception e)
        {
            throw new InvalidDataException($"{Path.GetRelativePath(K8s, file)}: {e.Message}", e);
        }
    }

    [Fact]
    public void A_misspelled_field_fails_the_check()
    {
        const string manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 1\n  replica: 2\n";
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(manifest, Kinds, strict: true));
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(
            "apiVersion: rabbitmq.com/v1beta1\nkind: RabbitmqCluster\nmetadata:\n  name: r\nspec:\n  replica: 3\n", Kinds, strict: true));
    }

    [Fact]
    public void Every_kustomization_parses_and_names_files_that_exist()
    {
        var reader = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        foreach (var file in Directory.GetFiles(K8s, "kustomization.yaml", SearchOption.AllDirectories))
        {
            var kustomization = reader.Deserialize<Kustomization>(File.ReadAllText(file));
            Assert.Equal("Kustomization", kustomization.Kind);
            var folder = Path.GetDirectoryName(file)!;
            foreach (var path in kustomization.Resources.Concat(kustomization.Patches.Select(patch => patch.Path)))
                Assert.True(File.Exists(Path.Combine(folder, path)) || Directory.Exists(Path.Combine(folder, path)), $"{file} names {path}");
        }
    }

    [Fact]
    public void Each_service_is_a_deployment_with_health_probes_resources_a_disruption_budget_and_config_by_name()
    {
        var configMaps = Objects.OfType<V1ConfigMap>().Select(map => map.Metadata.Name).ToHashSet();
        foreach (var name in Services)
        {
            var deployment = Assert.Single(Objects.OfType<V1Deployment>(), d => d.Metadata.Name == name);
            var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
            Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
            Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
            Assert.Contains("cpu", container.Resources.Requests.Keys);
            Assert.Contains("memory", container.Resources.Limits.Keys);
            Assert.True(deployment.Spec.Replicas >= 2, $"{name} runs one replica");
            Assert.All(container.EnvFrom, source => Assert.Contains(source.ConfigMapRef.Name, configMaps));
            Assert.All(container.Env.Where(e => e.ValueFrom?.ConfigMapKeyRef is not null), e => Assert.Contains(e.ValueFrom.ConfigMapKeyRef.Name, configMaps));
            Assert.Contains(container.Env, e => e.ValueFrom?.SecretKeyRef?.Name == "accounts-connections");
            Assert.Single(Objects.OfType<V1PodDisruptionBudget>(), pdb => pdb.Spec.Selector.MatchLabels["app.kubernetes.io/name"] == name);
        }
    }

    [Fact]
    public void The_query_and_notification_services_scale_horizontally()
    {
        var scaled = Objects.OfType<V2HorizontalPodAutoscaler>().Where(h => h.Spec.ScaleTargetRef is not null).Select(h => h.Spec.ScaleTargetRef.Name).Order();
        Assert.Equal(["notification-service", "query-service"], scaled);
    }

    [Fact]
    public void The_engines_run_as_three_node_clusters_and_telemetry_goes_to_jaeger()
    {
        Assert.Equal(3, Assert.Single(Objects.OfType<RabbitmqCluster>()).Spec.Replicas);
        var mongo = Assert.Single(Objects.OfType<MongoDbCommunity>()).Spec;
        Assert.Equal((3, "ReplicaSet"), (mongo.Members, mongo.Type));
        var eventStore = Assert.Single(Objects.OfType<V1StatefulSet>(), s => s.Metadata.Name == "eventstoredb");
        Assert.Equal(3, eventStore.Spec.Replicas);
        Assert.Contains(eventStore.Spec.Template.Spec.Containers[0].Env, e => e.Name == "EVENTSTORE_CLUSTER_SIZE" && e.Value == "3");
        var config = Assert.Single(Objects.OfType<V1ConfigMap>(), map => map.Metadata.Name == "accounts-config").Data;
        Assert.Equal(3, config["ConnectionStrings__eventstore"].Split('?')[0].Split(',').Length);
        Assert.Equal("quorum", config["Messaging__QueueType"]);
        var collector = Assert.Single(Objects.OfType<V1ConfigMap>(), map => map.Metadata.Name == "otel-collector").Data["config.yaml"];
        Assert.Contains("endpoint: jaeger:4317", collector, StringComparison.Ordinal);
        Assert.Single(Objects.OfType<V1Service>(), service => service.Metadata.Name == "jaeger");
    }

    private static string FindRoot()
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "Microservices.sln")))
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("Microservices.sln not found above the test binaries.");
        return folder;
    }
}
