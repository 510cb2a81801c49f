using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ServiceDefaults;

/// <summary>
/// The browsable API reference (Scalar) over a host's OpenAPI documents (<c>/openapi/{name}.json</c>): one page per
/// document at <c>/scalar/{name}</c>, with the schemas' request examples and a "try it" client that calls this host.
/// The page's script is served from the package, so it works offline.
/// </summary>
public static class ApiReference
{
    public const string Prefix = "/scalar";

    /// <summary>Maps the page for each of <paramref name="documents"/> (document name, title); the first is the default.</summary>
    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app, string title, params (string Name, string Title)[] documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        app.MapScalarApiReference(Prefix, options =>
        {
            options.WithTitle(title).WithDefaultHttpClient(ScalarTarget.Shell, ScalarClient.Curl)
                .AddPreferredSecuritySchemes(BearerScheme); // the page's Authentication box: paste a token (make token)
            for (var i = 0; i < documents.Length; i++)
            {
                options.AddDocument(documents[i].Name, documents[i].Title, isDefault: i == 0);
            }
        }).AllowAnonymous();
        return app;
    }

    public const string BearerScheme = "bearer";

    /// <summary>Every OpenAPI document names the bearer scheme, so the page offers a field to paste a token into.</summary>
    public static IServiceCollection AddBearerToOpenApi(this IServiceCollection services) =>
        services.ConfigureAll<OpenApiOptions>(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A bearer token: `make token` prints one for the development key.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
            return Task.CompletedTask;
        }));
}
