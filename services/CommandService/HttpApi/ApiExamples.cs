using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;

namespace CommandService.HttpApi;

/// <summary>Request examples in the OpenAPI document, so the API reference page's "try it" starts from a valid body.</summary>
public static class ApiExamples
{
    public static OpenApiOptions AddCommandExamples(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddSchemaTransformer((schema, context, _) =>
        {
            if (Example(context.JsonTypeInfo.Type) is { } example)
            {
                schema.Examples = [example];
            }
            return Task.CompletedTask;
        });
    }

    private static JsonObject? Example(Type type) => type.Name switch
    {
        nameof(RegisterUserRequest) => new() { ["email"] = "ada@example.org", ["displayName"] = "Ada Lovelace" },
        nameof(ChangeEmailRequest) => new() { ["email"] = "countess@example.org" },
        nameof(RenameUserRequest) => new() { ["displayName"] = "Augusta Ada King" },
        nameof(DeactivateUserRequest) => new() { ["reason"] = "asked to leave" },
        _ => null,
    };
}
