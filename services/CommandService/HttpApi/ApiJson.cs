using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommandService.HttpApi;

/// <summary>Source-generated JSON for the HTTP API's bodies.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RegisterUserRequest))]
[JsonSerializable(typeof(ChangeEmailRequest))]
[JsonSerializable(typeof(RenameUserRequest))]
[JsonSerializable(typeof(DeactivateUserRequest))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(List<HistoryEntry>))]
[JsonSerializable(typeof(UserStateResponse))]
internal sealed partial class ApiJson : JsonSerializerContext;
