using MassTransit;

namespace Accounts.Contracts.Tests.Broker;

/// <summary>The consumer whose queue the broker tests read from; it fails on <see cref="FailingDisplayName"/>, so a test can see retries spent.</summary>
public sealed class UserRegisteredConsumer : IConsumer<UserRegistered>
{
    public const string FailingDisplayName = "fails in the consumer";

    public Task Consume(ConsumeContext<UserRegistered> context) =>
        context.Message.DisplayName == FailingDisplayName
            ? throw new InvalidOperationException("The consumer refuses this message (a test's control case).")
            : Task.CompletedTask;
}
