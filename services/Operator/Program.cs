using Accounts.Operations.Commands;
using Spectre.Console.Cli;

namespace Accounts.Operations;

/// <summary>The operator CLI: <c>redrive</c> (dead letters) and <c>status</c> (health, feed head, error queues).</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("accounts-operator");
            config.AddCommand<RedriveCommand>("redrive").WithDescription("list the _error queues, or move one back to its source queue");
            config.AddCommand<StatusCommand>("status").WithDescription("each service's health, the feed's head, the error queues");
        });
        return app.RunAsync(args);
    }
}
