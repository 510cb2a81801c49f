using Accounts.Messaging;
using ServiceDefaults;

namespace QueryService;

/// <summary>The query service alone: projections of the integration messages into views, HTTP queries on them.</summary>
public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("query-service");
        builder.AddQueryService();
        builder.Services.AddAccountsMessaging(builder.Configuration, "query", bus => bus.AddQueryConsumers());
        builder.Services.AddOpenApi();
        await using var app = builder.Build();
        app.UseServiceDefaults();
        app.MapOpenApi().AllowAnonymous();
        app.MapQueryService();
        app.MapHealth();
        app.MapApiReference("Query service", ("v1", "Query service"));
        await app.RunAsync();
    }
}
