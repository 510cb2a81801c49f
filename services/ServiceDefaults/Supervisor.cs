using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;

namespace ServiceDefaults;

/// <summary>
/// Runs a long-lived loop (the relay, the notification dispatcher) until the host stops: when it faults, the fault is
/// logged with the loop's own logger and the loop starts again after a pause that doubles from one second up to a
/// maximum, forever. The pauses are a Polly retry registered under the loop's name (<see cref="AddSupervisor"/>) and
/// timed by the container's <see cref="TimeProvider"/>. A loop that returns is started again at once.
/// </summary>
public static class Supervisor
{
    public static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);

    private static readonly ResiliencePropertyKey<ILogger> LoopLogger = new("supervisor.logger");

    /// <summary>Registers the restart pipeline of the loop <paramref name="name"/>.</summary>
    public static IServiceCollection AddSupervisor(this IServiceCollection services, string name, TimeSpan maxPause) =>
        services.AddResiliencePipeline(name, builder => builder.AddRetry(new RetryForeverOptions(FirstPause, maxPause)
        {
            // Every fault restarts the loop, cancellations included, unless the host is stopping.
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
            OnRetry = args =>
            {
                if (args.Context.Properties.TryGetValue(LoopLogger, out var logger))
                {
                    logger.LogError(args.Outcome.Exception, "{Loop} failed; restarting in {Pause}", name, args.RetryDelay);
                }
                return ValueTask.CompletedTask;
            },
        }));

    /// <summary>Runs <paramref name="loop"/> under the pipeline <paramref name="name"/> until <paramref name="stoppingToken"/> is cancelled.</summary>
    public static async Task SuperviseAsync(
        this ResiliencePipelineProvider<string> pipelines, string name, Func<CancellationToken, Task> loop, ILogger logger, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        var pipeline = pipelines.GetPipeline(name);
        while (!stoppingToken.IsCancellationRequested)
        {
            var context = ResilienceContextPool.Shared.Get(stoppingToken);
            context.Properties.Set(LoopLogger, logger);
            try
            {
                await pipeline.ExecuteAsync(static async (context, loop) => await loop(context.CancellationToken), context, loop);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
    }
}
