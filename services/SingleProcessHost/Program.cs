using Accounts.Messaging;
using CommandService;
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
        builder.AddServiceDefaults("accounts");
        builder.AddCommandService();
        builder.AddQueryService();
        builder.AddNotificationService();
        builder.Services.AddAccountsMessaging(builder.Configuration, "accounts", bus => bus.AddQueryConsumers().AddNotificationConsumers());
        builder.Services.AddOpenApi();
        await using var app = builder.Build();
        app.UseServiceDefaults();
        app.MapOpenApi().AllowAnonymous();
        app.MapCommandService();
        app.MapQueryService();
        app.MapNotificationService();
        app.MapHealth();
        await app.StartAsync();
        Welcome.Print(app);
        await app.WaitForShutdownAsync();
        return 0;
    }
}
