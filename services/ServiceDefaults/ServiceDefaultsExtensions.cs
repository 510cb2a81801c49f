using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ServiceDefaults;

/// <summary>
/// OpenTelemetry for every service: ASP.NET Core, HttpClient and MassTransit instrumentation plus our own sources and
/// meters (all named "Accounts.*"). Exported by OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set; the service name is
/// OTEL_SERVICE_NAME or the one given. Logs carry trace and span ids.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string SourcePrefix = "Accounts.";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
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
                .AddMeter(SourcePrefix + "*"));
        if (otlp)
        {
            builder.Logging.AddOpenTelemetry(logging => logging.IncludeFormattedMessage = true);
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>Liveness says the process runs; readiness also asks the stores and the broker (checks tagged "ready").</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
