using System.ComponentModel;
using Accounts.Operations.DeadLetters;
using RabbitMQ.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Accounts.Operations.Commands;

/// <summary><c>redrive</c>: lists the error queues with their counts and first reasons; <c>redrive --queue q_error</c> moves q_error back to q.</summary>
public sealed class RedriveCommand : AsyncCommand<RedriveCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--queue")]
        [Description("the error queue to move back to its source queue (e.g. query-users_error); without it: list them")]
        public string? Queue { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(settings.Broker) }.CreateConnectionAsync(cancellationToken);
        if (settings.Queue is { Length: > 0 } queue)
        {
            var moved = await ErrorQueues.RedriveAsync(connection, queue, cancellationToken: cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"moved [green]{moved}[/] message(s) from {queue} back to {ErrorQueues.SourceOf(queue)}");
            return 0;
        }
        var table = new Table().AddColumns("error queue", "messages", "first reasons");
        foreach (var name in settings.ErrorQueues)
        {
            var summary = await ErrorQueues.SummariseAsync(connection, name, cancellationToken: cancellationToken);
            table.AddRow(new Text(name), new Text(summary is null ? "(none yet)" : summary.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(summary is null ? "" : string.Join(Environment.NewLine, summary.FirstReasons)));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
