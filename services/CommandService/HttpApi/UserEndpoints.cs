using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Accounts.Domain;
using CommandService.Application;
using CommandService.Infrastructure;
using EventStore;

namespace CommandService.HttpApi;

/// <summary>The command service's routes: five commands, the history and the time-travel read of an account.</summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users").WithTags("Commands");
        users.MapPost("/", Register).Accepts<RegisterUserRequest>("application/json")
            .Produces<CommandResponse>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(409);
        users.MapPost("/{id}/email", (string id, HttpContext http, UserCommandHandler handler) =>
            Change(id, http, handler, ApiJson.Default.ChangeEmailRequest, (userId, body) => new ChangeEmail(userId, body.Email ?? "")))
            .Accepts<ChangeEmailRequest>("application/json").WithChangeResponses();
        users.MapPost("/{id}/name", (string id, HttpContext http, UserCommandHandler handler) =>
            Change(id, http, handler, ApiJson.Default.RenameUserRequest, (userId, body) => new RenameUser(userId, body.DisplayName ?? "")))
            .Accepts<RenameUserRequest>("application/json").WithChangeResponses();
        users.MapPost("/{id}/deactivate", (string id, HttpContext http, UserCommandHandler handler) =>
            Change(id, http, handler, ApiJson.Default.DeactivateUserRequest, (userId, body) => new DeactivateUser(userId, body.Reason ?? "")))
            .Accepts<DeactivateUserRequest>("application/json").WithChangeResponses();
        users.MapPost("/{id}/reactivate", (string id, HttpContext http, UserCommandHandler handler) =>
            Execute(id, http, handler, userId => new ReactivateUser(userId)))
            .WithChangeResponses();
        users.MapGet("/{id}/history", History).Produces<List<HistoryEntry>>().ProducesProblem(404).WithTags("Reads");
        users.MapGet("/{id}/state", State).Produces<UserStateResponse>().ProducesProblem(404).WithTags("Reads");
        return app;
    }

    private static RouteHandlerBuilder WithChangeResponses(this RouteHandlerBuilder route) =>
        route.Produces<CommandResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

    private static async Task<IResult> Register(HttpContext http, UserCommandHandler handler)
    {
        var (body, problem) = await JsonBody.ReadAsync(http.Request, ApiJson.Default.RegisterUserRequest);
        if (problem is not null)
        {
            return problem;
        }
        var command = new RegisterUser(body!.Id ?? Guid.CreateVersion7(), body.Email ?? "", body.DisplayName ?? "");
        var outcome = await handler.HandleAsync(command, null, CorrelationId(http), http.RequestAborted);
        if (outcome is not CommandOutcome.Accepted accepted)
        {
            return Problems.For(outcome);
        }
        SetETag(http, accepted.Version);
        http.Response.Headers.Location = $"/users/{accepted.UserId}";
        return Response(accepted, StatusCodes.Status201Created);
    }

    private static async Task<IResult> Change<TBody>(
        string id, HttpContext http, UserCommandHandler handler, JsonTypeInfo<TBody> type, Func<Guid, TBody, UserCommand> toCommand)
        where TBody : class
    {
        var (body, problem) = await JsonBody.ReadAsync(http.Request, type);
        if (problem is not null)
        {
            return problem;
        }
        return await Execute(id, http, handler, userId => toCommand(userId, body!));
    }

    private static async Task<IResult> Execute(string id, HttpContext http, UserCommandHandler handler, Func<Guid, UserCommand> toCommand)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return BadId(id);
        }
        if (!TryIfMatch(http, out var ifMatch))
        {
            return Problems.BadRequest("If-Match", "If-Match must be an entity tag of this API, such as \"3\".");
        }
        var outcome = await handler.HandleAsync(toCommand(userId), ifMatch, CorrelationId(http), http.RequestAborted);
        if (outcome is not CommandOutcome.Accepted accepted)
        {
            return Problems.For(outcome);
        }
        SetETag(http, accepted.Version);
        return Response(accepted);
    }

    private static async Task<IResult> History(string id, IEventStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return BadId(id);
        }
        var events = await store.ReadStreamAsync(UserStreams.For(userId), cancellationToken: cancellationToken);
        if (events.Count == 0)
        {
            return NotFound(userId);
        }
        var entries = events.Select(e => new HistoryEntry(
            e.Revision + 1, e.Position, e.EventId, e.EventType, e.Metadata.Timestamp,
            JsonDocument.Parse(e.Data).RootElement, e.Metadata.CorrelationId, e.Metadata.CausationId, e.Metadata.TraceParent)).ToList();
        return Results.Json(entries, ApiJson.Default.ListHistoryEntry);
    }

    private static async Task<IResult> State(string id, long? version, IEventStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return BadId(id);
        }
        if (version < 1)
        {
            return Problems.BadRequest("version", "The version counts from 1.");
        }
        var events = await store.ReadStreamAsync(UserStreams.For(userId), maxCount: (int)Math.Min(version ?? int.MaxValue, int.MaxValue), cancellationToken: cancellationToken);
        if (events.Count == 0)
        {
            return NotFound(userId);
        }
        if (version > events.Count)
        {
            return Results.Problem($"User {userId} has no version {version}; it is at version {events.Count}.",
                statusCode: StatusCodes.Status404NotFound, title: "No such version", type: Problems.TypeFor("version-not-found"));
        }
        var state = UserState.Fold(events.Select(UserStreams.ToUserEvent));
        SetETag(http, state.Version);
        return Results.Json(
            new UserStateResponse(state.Id, state.Email, state.DisplayName, state.Status.ToString(), state.Version, state.RegisteredAt, state.UpdatedAt),
            ApiJson.Default.UserStateResponse);
    }

    private static IResult BadId(string id) => Problems.BadRequest("id", $"'{id}' is not a user id (a GUID).");

    private static IResult NotFound(Guid userId) =>
        Results.Problem($"User {userId} does not exist.", statusCode: StatusCodes.Status404NotFound, title: "User not found", type: Problems.TypeFor("user-not-found"));

    private static IResult Response(CommandOutcome.Accepted accepted, int status = StatusCodes.Status200OK) =>
        Results.Json(new CommandResponse(accepted.UserId, accepted.Version, accepted.Position), ApiJson.Default.CommandResponse, statusCode: status);

    private static void SetETag(HttpContext http, long version) =>
        http.Response.Headers.ETag = $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    private static bool TryIfMatch(HttpContext http, out long? version)
    {
        version = null;
        var header = http.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return true;
        }
        var tag = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && long.TryParse(tag[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }
        return false;
    }

    private static Guid? CorrelationId(HttpContext http) =>
        Guid.TryParse(http.Request.Headers["X-Correlation-Id"], out var id) ? id : null;
}
