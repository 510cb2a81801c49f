using Accounts.Messaging;
using ServiceDefaults;

namespace NotificationService;

/// <summary>The notification service alone: records the notifications account changes call for and delivers them.</summary>
public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("notification-service");
        builder.AddNotificationService();
        builder.Services.AddAccountsMessaging(builder.Configuration, "notification", bus => bus.AddNotificationConsumers());
        builder.Services.AddOpenApi();
        await using var app = builder.Build();
        app.UseServiceDefaults();
        app.MapOpenApi().AllowAnonymous();
        app.MapNotificationService();
        app.MapHealth();
        app.MapApiReference("Notification service", ("v1", "Notification service"));
        await app.RunAsync();
    }
}
