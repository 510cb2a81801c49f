using System.Threading.Channels;
using MassTransit;

namespace Accounts.Contracts.Tests.Broker;

/// <summary>What a test consumer received, with the transport headers it came with.</summary>
public sealed class ReceivedMessages
{
    readonly Channel<(UserRegistered Message, Guid? MessageId, string? TraceParent)> _received = Channel.CreateUnbounded<(UserRegistered, Guid?, string?)>();

    public void Add(ConsumeContext<UserRegistered> context) =>
        _received.Writer.TryWrite((context.Message, context.MessageId, context.Headers.Get<string>("traceparent")));

    public async Task<(UserRegistered Message, Guid? MessageId, string? TraceParent)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _received.Reader.ReadAsync(timeout.Token);
    }
}
