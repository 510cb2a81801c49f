using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Accounts.Domain;
using CommandService.Application;
using CommandService.Infrastructure;
using EventStore;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceDefaults;
using ServiceDefaults.Auth;
using ServiceDefaults.RateLimiting;

namespace CommandService.HttpApi;

/// <summary>The command service's routes: five commands, the history and the time-travel read of an account.</summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users").WithTags("Commands");
        users.MapPost("/", Register).Accepts<RegisterUserRequest>("application/json").ProducesProblem(409).ProducesProblem(429)
            .RequireAuthorization(Policies.Write).RequireRateLimiting(CommandRateLimiting.Policy);
        users.MapPost("/{id}/email", (string id, HttpContext http, UserCommandHandler handler) =>
            Change(id, http, handler, ApiJson.Default.ChangeEmailRequest, (userId, body) => new ChangeEmail(userId, body.Email ?? "")))
            .Accepts<ChangeEmailRequest>("application/json").WithChangeProblems().RequireAuthorization(Policies.ChangeOwnAccount);
        users.MapPost("/{id}/name", (string id, HttpContext http, UserCommandHandler handler) =>
            Change(id, http, handler, ApiJson.Default.RenameUserRequest, (userId, body) => new RenameUser(userId, body.DisplayName ?? "")))
            .Accepts<RenameUserRequest>("application/json").WithChangeProblems().RequireAuthorization(Policies.ChangeOwnAccount);
        users.MapPost("/{id}/deactivate", (string id, HttpContext http, UserCommandHandler handler) =>
            Change(id, http, handler, ApiJson.Default.DeactivateUserRequest, (userId, body) => new DeactivateUser(userId, body.Reason ?? "")))
            .Accepts<DeactivateUserRequest>("application/json").WithChangeProblems().RequireAuthorization(Policies.Write);
        users.MapPost("/{id}/reactivate", (string id, HttpContext http, UserCommandHandler handler) =>
            Execute(id, http, handler, userId => new ReactivateUser(userId)))
            .WithChangeProblems().RequireAuthorization(Policies.Write);
        users.MapDelete("/{id}", (string id, HttpContext http, UserCommandHandler handler) =>
            Execute(id, http, handler, userId => new EraseUser(userId)))
            .WithChangeProblems().RequireAuthorization(Policies.EraseAccount)
            .WithSummary("Erase the account: its personal data becomes unreadable for good (crypto-shredding)");
        users.MapGet("/{id}/history", History).ProducesProblem(404).WithTags("Reads").RequireAuthorization(Policies.ReadAccount);
        users.MapGet("/{id}/state", State).ProducesProblem(404).WithTags("Reads").RequireAuthorization(Policies.ReadAccount);
        return app;
    }

    // The typed results declare 200/201 and 400; these are the problem statuses a ProblemHttpResult may carry.
    private static RouteHandlerBuilder WithChangeProblems(this RouteHandlerBuilder route) =>
        route.ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(429).RequireRateLimiting(CommandRateLimiting.Policy);

    private static async Task<Results<Created<CommandResponse>, ValidationProblem, ProblemHttpResult>> Register(HttpContext http, UserCommandHandler handler)
    {
        var (body, problem) = await JsonBody.ReadAsync(http.Request, ApiJson.Default.RegisterUserRequest);
        if (problem is not null)
        {
            return problem;
        }
        var command = new RegisterUser(body!.Id ?? Guid.CreateVersion7(), body.Email ?? "", body.DisplayName ?? "");
        var outcome = await handler.HandleAsync(command, null, CorrelationId(http), http.RequestAborted);
        switch (outcome)
        {
            case CommandOutcome.Accepted accepted:
                http.Response.SetETag(accepted.Version);
                return TypedResults.Created($"/users/{accepted.UserId}", Body(accepted));
            case CommandOutcome.Rejected { Rejection.IsBadInput: true } invalid:
                return CommandProblems.Invalid(invalid.Rejection);
            default:
                return CommandProblems.For(outcome);
        }
    }

    private static async Task<Results<Ok<CommandResponse>, ValidationProblem, ProblemHttpResult>> Change<TBody>(
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

    private static async Task<Results<Ok<CommandResponse>, ValidationProblem, ProblemHttpResult>> Execute(
        string id, HttpContext http, UserCommandHandler handler, Func<Guid, UserCommand> toCommand)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return BadId(id);
        }
        if (!VersionTags.TryReadIfMatch(http.Request, out var ifMatch))
        {
            return Problems.BadRequest("If-Match", "If-Match must be * or entity tags of this API, such as \"3\".");
        }
        var outcome = await handler.HandleAsync(toCommand(userId), ifMatch, CorrelationId(http), http.RequestAborted);
        switch (outcome)
        {
            case CommandOutcome.Accepted accepted:
                http.Response.SetETag(accepted.Version);
                return TypedResults.Ok(Body(accepted));
            case CommandOutcome.Rejected { Rejection.IsBadInput: true } invalid:
                return CommandProblems.Invalid(invalid.Rejection);
            default:
                return CommandProblems.For(outcome);
        }
    }

    private static async Task<Results<Ok<List<HistoryEntry>>, ValidationProblem, ProblemHttpResult>> History(
        string id, AccountKeys keys, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return BadId(id);
        }
        var (stored, events) = await keys.ReadAccountAsync(userId, cancellationToken: cancellationToken);
        if (stored.Count == 0)
        {
            return NotFound(userId);
        }
        return TypedResults.Ok(stored.Zip(events, (e, opened) => new HistoryEntry(
            e.Revision + 1, e.Position, e.EventId, e.EventType, e.Metadata.Timestamp,
            UserStreams.ToJson(opened), e.Metadata.CorrelationId, e.Metadata.CausationId, e.Metadata.TraceParent)).ToList());
    }

    private static async Task<Results<Ok<UserStateResponse>, ValidationProblem, ProblemHttpResult>> State(
        string id, long? version, AccountKeys keys, HttpContext http, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return BadId(id);
        }
        if (version < 1)
        {
            return Problems.BadRequest("version", "The version counts from 1.");
        }
        var (_, events) = await keys.ReadAccountAsync(userId, (int)Math.Min(version ?? int.MaxValue, int.MaxValue), cancellationToken);
        if (events.Count == 0)
        {
            return NotFound(userId);
        }
        if (version > events.Count)
        {
            return Problems.NotFound("version-not-found", "No such version", $"User {userId} has no version {version}; it is at version {events.Count}.");
        }
        var state = UserState.Fold(events);
        http.Response.SetETag(state.Version);
        return TypedResults.Ok(
            new UserStateResponse(state.Id, state.Email, state.DisplayName, state.Status.ToString(), state.Version, state.RegisteredAt, state.UpdatedAt));
    }

    private static ValidationProblem BadId(string id) => Problems.BadRequest("id", $"'{id}' is not a user id (a GUID).");

    private static ProblemHttpResult NotFound(Guid userId) => CommandProblems.UserNotFound($"User {userId} does not exist.");

    private static CommandResponse Body(CommandOutcome.Accepted accepted) => new(accepted.UserId, accepted.Version, accepted.Position);

    private static Guid? CorrelationId(HttpContext http) =>
        Guid.TryParse(http.Request.Headers["X-Correlation-Id"], out var id) ? id : null;
}
