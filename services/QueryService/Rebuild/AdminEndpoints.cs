using Microsoft.AspNetCore.Http.HttpResults;
using QueryService.Projection;
using ServiceDefaults;
using ServiceDefaults.Auth;

namespace QueryService.Rebuild;

/// <summary>What <c>GET /admin/progress</c> answers: the projection's latest applied change and the rebuild's state.</summary>
public sealed record AdminProgressResponse(ProjectionProgressResponse Projection, RebuildStatus Rebuild);

/// <summary>The operator's routes (admin scope): start and watch a rebuild of the views, the projection's progress.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        admin.MapPost("/rebuild", Start).ProducesProblem(409).ProducesProblem(503)
            .WithSummary("Starts building a new generation of the views from the command service's feed (blue/green).")
            .WithDescription("202 and the status; 409 when a rebuild is running. The current generation serves until the new one has caught up with the feed's head, then one atomic switch serves the new one.");
        admin.MapGet("/rebuild", (ViewRebuild rebuild) => TypedResults.Ok(rebuild.Status))
            .WithSummary("The rebuild's state (idle, running, switching, done, failed), position, head, events per second and ETA in seconds.");
        admin.MapGet("/progress", (ProjectionProgress progress, ViewRebuild rebuild) => TypedResults.Ok(new AdminProgressResponse(progress.Last, rebuild.Status)))
            .WithSummary("The projection's latest applied change (its lag) and the rebuild's state.");
        return app;
    }

    private static Results<Accepted<RebuildStatus>, ProblemHttpResult> Start(ViewRebuild rebuild)
    {
        if (!rebuild.HasFeed)
        {
            return Problems.Problem(503, "feed-not-configured", "No feed", "Feed:BaseUrl is not set: the views cannot be rebuilt without the command service's feed.");
        }
        if (!rebuild.TryStart())
        {
            return Problems.Conflict("rebuild-running", "Rebuild running", "A rebuild is running; GET /admin/rebuild shows its progress.");
        }
        return TypedResults.Accepted("/admin/rebuild", rebuild.Status);
    }
}
