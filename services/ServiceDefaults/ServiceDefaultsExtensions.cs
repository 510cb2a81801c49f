using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ServiceDefaults.Auth;
using ServiceDefaults.RateLimiting;

namespace ServiceDefaults;

/// <summary>
/// OpenTelemetry for every service: ASP.NET Core, HttpClient and MassTransit instrumentation plus our own sources and
/// meters (all named "Accounts.*"), exported by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; the service name is
/// OTEL_SERVICE_NAME or the one given. Without an endpoint no pipeline is registered at all: spans nobody exports would
/// only cost CPU (a listener added later, as in the tests, still sees every span). Logs carry trace and span ids.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string SourcePrefix = "Accounts.";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        builder.Services.AddAccountsAuth();
        builder.Services.AddBearerToOpenApi();
        builder.Services.AddCommandRateLimiting();
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }
        builder.Logging.AddOpenTelemetry(logging => logging.IncludeFormattedMessage = true);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource("MassTransit")
                .AddSource(SourcePrefix + "*"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter(SourcePrefix + "*"))
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// Liveness says the process runs; readiness also asks the stores and the broker (checks tagged "ready"). Both answer
    /// without a token, as orchestrators call them.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// The middleware every service runs, in order: problem details for bodiless error statuses (401, 403, 404, 429...),
    /// then authentication, authorization and the rate limiter (which partitions by the authenticated caller). With
    /// <c>RateLimiting:Enabled=false</c> the rate limiter is left out of the pipeline: its partition lookup takes a lock
    /// on every request even when the partition is a no-op limiter.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        if (app.Services.GetRequiredService<IOptions<CommandRateLimitOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
        }
        return app;
    }
}
