using Accounts.Messaging;
using CommandService;
using CommandService.HttpApi;
using NotificationService;
using QueryService;
using ServiceDefaults;

namespace SingleProcessHost;

/// <summary>
/// The whole system in one process with no servers: each service keeps its own endpoints, store file and consumers; one
/// MassTransit bus (in memory unless ConnectionStrings__rabbitmq is set) still carries Avro-serialized messages.
/// </summary>
public sealed class Program
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static async Task<int> Main(string[] args)
    {
        if (args is [TokenCommand.Verb, ..])
        {
            return TokenCommand.Run(args);
        }
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey)))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // Gap repair reads the integration feed, which this very process serves.
        builder.Configuration["Feed:BaseUrl"] ??= builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey)?.Split(';')[0];
        builder.AddServiceDefaults("accounts");
        builder.AddCommandService();
        builder.AddQueryService();
        builder.AddNotificationService();
        builder.Services.AddAccountsMessaging(builder.Configuration, "accounts", bus => bus.AddQueryConsumers().AddNotificationConsumers());
        // One OpenAPI document and reference page per service (each module's endpoints carry its group name), and v1 with all.
        builder.Services.AddOpenApi("command", options => options.AddCommandExamples());
        builder.Services.AddOpenApi("query");
        builder.Services.AddOpenApi("notification");
        builder.Services.AddOpenApi(options => options.AddCommandExamples().ShouldInclude = _ => true);
        await using var app = builder.Build();
        app.UseServiceDefaults();
        app.MapOpenApi().AllowAnonymous();
        app.MapGroup("").WithGroupName("command").MapCommandService();
        app.MapGroup("").WithGroupName("query").MapQueryService();
        app.MapGroup("").WithGroupName("notification").MapNotificationService();
        app.MapHealth();
        app.MapApiReference("Accounts system", ("command", "Command service"), ("query", "Query service"), ("notification", "Notification service"), ("v1", "All services"));
        await app.StartAsync();
        Welcome.Print(app);
        await app.WaitForShutdownAsync();
        return 0;
    }
}
