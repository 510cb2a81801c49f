using System.Text.Json.Serialization;
using Accounts.Contracts;

namespace Accounts.Serialization.Benchmarks;

/// <summary>System.Text.Json source-generated (de)serializer for the message alone, as a raw JSON body would carry it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UserRegistered))]
public partial class ContractJsonContext : JsonSerializerContext;
