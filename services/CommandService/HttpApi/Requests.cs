namespace CommandService.HttpApi;

// Request bodies as clients send them: every field nullable, so that a missing one is reported by name, not as a
// deserialization failure. Responses carry the account's new version (also in the ETag) and its global log position.

public sealed record RegisterUserRequest(Guid? Id, string? Email, string? DisplayName);

public sealed record ChangeEmailRequest(string? Email);

public sealed record RenameUserRequest(string? DisplayName);

public sealed record DeactivateUserRequest(string? Reason);

public sealed record CommandResponse(Guid Id, long Version, ulong Position);

public sealed record HistoryEntry(long Version, ulong Position, Guid EventId, string Type, DateTimeOffset RecordedAt, System.Text.Json.JsonElement Data, Guid? CorrelationId, Guid? CausationId, string? TraceParent);

public sealed record UserStateResponse(Guid Id, string Email, string DisplayName, string Status, long Version, DateTimeOffset? RegisteredAt, DateTimeOffset? UpdatedAt);
