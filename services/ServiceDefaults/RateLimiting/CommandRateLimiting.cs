using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServiceDefaults.Auth;

namespace ServiceDefaults.RateLimiting;

/// <summary>
/// ASP.NET Core's rate limiter on commands: <c>RequireRateLimiting(CommandRateLimiting.Policy)</c> on a route puts it
/// behind a fixed window per caller (<see cref="CommandRateLimitOptions"/>). A refusal is 429 problem details with
/// <c>Retry-After</c> (whole seconds).
/// </summary>
public static class CommandRateLimiting
{
    public const string Policy = "commands";

    public static IServiceCollection AddCommandRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<CommandRateLimitOptions>().BindConfiguration(CommandRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = OnRejectedAsync;
            limiter.AddPolicy(Policy, Partition);
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<CommandRateLimitOptions>>().Value;
        var caller = http.User.Caller() is { } subject ? "sub:" + subject : "ip:" + http.Connection.RemoteIpAddress;
        return options.Enabled
            ? RateLimitPartition.GetFixedWindowLimiter(caller, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit,
                Window = options.Window,
                QueueLimit = options.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })
            : RateLimitPartition.GetNoLimiter(caller);
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        var problem = Problems.Problem(StatusCodes.Status429TooManyRequests, "too-many-requests", "Too many requests",
            "This caller sent more commands than allowed; try again after Retry-After seconds.");
        await problem.ExecuteAsync(http);
    }
}
