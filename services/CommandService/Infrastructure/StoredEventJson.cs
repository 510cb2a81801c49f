using System.Text.Json;
using System.Text.Json.Serialization;
using Accounts.Domain;

namespace CommandService.Infrastructure;

/// <summary>Source-generated JSON for the events the command service stores.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UserRegistered))]
[JsonSerializable(typeof(UserEmailChanged))]
[JsonSerializable(typeof(UserRenamed))]
[JsonSerializable(typeof(UserDeactivated))]
[JsonSerializable(typeof(UserReactivated))]
[JsonSerializable(typeof(UserErased))]
[JsonSerializable(typeof(EmailReserved))]
[JsonSerializable(typeof(EmailReleased))]
internal sealed partial class StoredEventJson : JsonSerializerContext;
