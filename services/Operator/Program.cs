using Accounts.Operations.Commands;
using Spectre.Console.Cli;

namespace Accounts.Operations;

/// <summary>The operator CLI: <c>redrive</c> (dead letters), <c>rebuild</c> (the query views) and <c>status</c> (health, lags, rebuild, error queues).</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("accounts-operator");
            config.AddCommand<RedriveCommand>("redrive").WithDescription("list the _error queues, or move one back to its source queue");
            config.AddCommand<StatusCommand>("status").WithDescription("each service's health, relay and projection lag, rebuild state, the error queues");
            config.AddCommand<RebuildCommand>("rebuild").WithDescription("rebuild the query service's views from the feed, with a live progress bar");
        });
        return app.RunAsync(args);
    }
}
