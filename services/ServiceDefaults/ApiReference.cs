using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
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
            options.WithTitle(title).WithDefaultHttpClient(ScalarTarget.Shell, ScalarClient.Curl);
            for (var i = 0; i < documents.Length; i++)
            {
                options.AddDocument(documents[i].Name, documents[i].Title, isDefault: i == 0);
            }
        });
        return app;
    }
}
