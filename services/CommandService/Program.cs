using Accounts.Messaging;
using CommandService.HttpApi;
using ServiceDefaults;

namespace CommandService;

/// <summary>The command service alone: HTTP commands on user accounts, decided purely, appended to the event store.</summary>
public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("command-service");
        builder.AddCommandService();
        builder.Services.AddAccountsMessaging(builder.Configuration, "command", _ => { });
        builder.Services.AddOpenApi(options => options.AddCommandExamples());
        await using var app = builder.Build();
        app.UseServiceDefaults();
        app.MapOpenApi().AllowAnonymous();
        app.MapCommandService();
        app.MapHealth();
        app.MapApiReference("Command service", ("v1", "Command service"));
        await app.RunAsync();
    }
}
