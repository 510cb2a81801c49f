using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace EndToEnd.Tests;

// The custom resources infra/k8s uses, with exactly the fields it sets: parsed strictly, a misspelled or unknown field fails.

/// <summary>The RabbitMQ Cluster Operator's RabbitmqCluster (rabbitmq.com/v1beta1), the fields used.</summary>
public sealed class RabbitmqCluster : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public RabbitmqClusterSpec Spec { get; set; } = new();
}

public sealed class RabbitmqClusterSpec
{
    [JsonPropertyName("replicas")] public int? Replicas { get; set; }
    [JsonPropertyName("resources")] public V1ResourceRequirements? Resources { get; set; }
    [JsonPropertyName("persistence")] public RabbitmqPersistence? Persistence { get; set; }
    [JsonPropertyName("rabbitmq")] public RabbitmqConfig? Rabbitmq { get; set; }
}

public sealed class RabbitmqPersistence
{
    [JsonPropertyName("storage")] public ResourceQuantity? Storage { get; set; }
}

public sealed class RabbitmqConfig
{
    [JsonPropertyName("additionalConfig")] public string? AdditionalConfig { get; set; }
}

/// <summary>The MongoDB Community Operator's MongoDBCommunity (mongodbcommunity.mongodb.com/v1), the fields used.</summary>
public sealed class MongoDbCommunity : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public MongoDbCommunitySpec Spec { get; set; } = new();
}

public sealed class MongoDbCommunitySpec
{
    [JsonPropertyName("members")] public int Members { get; set; }
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("version")] public string Version { get; set; } = "";
    [JsonPropertyName("security")] public MongoDbSecurity? Security { get; set; }
    [JsonPropertyName("users")] public List<MongoDbUser> Users { get; set; } = [];
}

public sealed class MongoDbSecurity
{
    [JsonPropertyName("authentication")] public MongoDbAuthentication? Authentication { get; set; }
}

public sealed class MongoDbAuthentication
{
    [JsonPropertyName("modes")] public List<string> Modes { get; set; } = [];
}

public sealed class MongoDbUser
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("db")] public string Db { get; set; } = "";
    [JsonPropertyName("passwordSecretRef")] public V1LocalObjectReference? PasswordSecretRef { get; set; }
    [JsonPropertyName("roles")] public List<MongoDbRole> Roles { get; set; } = [];
    [JsonPropertyName("scramCredentialsSecretName")] public string? ScramCredentialsSecretName { get; set; }
}

public sealed class MongoDbRole
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("db")] public string Db { get; set; } = "";
}

/// <summary>A kustomization (kustomize.config.k8s.io/v1beta1), the fields used.</summary>
public sealed class Kustomization
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Namespace { get; set; }
    public List<string> Resources { get; set; } = [];
    public List<KustomizeLabels> Labels { get; set; } = [];
    public List<KustomizeImage> Images { get; set; } = [];
    public List<KustomizeReplicas> Replicas { get; set; } = [];
    public List<KustomizePatch> Patches { get; set; } = [];
}

public sealed class KustomizeLabels
{
    public Dictionary<string, string> Pairs { get; set; } = [];
}

public sealed class KustomizeImage
{
    public string Name { get; set; } = "";
    public string NewTag { get; set; } = "";
}

public sealed class KustomizeReplicas
{
    public string Name { get; set; } = "";
    public int Count { get; set; }
}

public sealed class KustomizePatch
{
    public string Path { get; set; } = "";
}
