using System.Text;
using Accounts.Contracts;
using Accounts.Testing;
using QueryService.Integration;
using QueryService.Projection;
using QueryService.Views;
using RabbitMQ.Client;

namespace QueryService.Tests;

[CollectionDefinition("query broker", DisableParallelization = true)]
public sealed class QueryServicesSharingOneBroker;

/// <summary>
/// Two query service instances on one SQLite file consuming the one queue <c>query-users</c> of a real RabbitMQ, fed by a
/// separate publisher: shuffled, duplicated and re-published messages; a gap that never closes.
/// </summary>
[Collection("query broker")]
public sealed class QueryOverRabbitMqTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    private readonly string _folder = Directory.CreateTempSubdirectory("query-broker-").FullName;
    private RabbitMqFixture _broker = null!;
    private QueryApi _one = null!;
    private QueryApi _two = null!;
    private BrokerPublisher _publisher = null!;

    public async Task InitializeAsync()
    {
        _broker = await RabbitMqFixture.Shared();
        _one = Instance();
        _two = Instance();
        await _one.InitializeAsync();
        await _two.InitializeAsync();
        _publisher = await BrokerPublisher.StartAsync(_broker.AmqpUrl);
    }

    private QueryApi Instance()
    {
        var api = new QueryApi(_folder, _broker.AmqpUrl);
        // Frequent short retries: a deep shuffle makes chains of gaps (v6 waits for v5, which waits for v4, ...), and each
        // link is retried on its own schedule, so sparse long intervals could exhaust v6's attempts before v5 lands.
        string[] retries = ["00:00:00.05", "00:00:00.1", .. Enumerable.Repeat("00:00:00.25", 16)];
        for (var i = 0; i < retries.Length; i++)
        {
            api.Settings[$"Messaging:RetryIntervals:{i}"] = retries[i];
        }
        return api;
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await ((IAsyncLifetime)_one).DisposeAsync();
        await ((IAsyncLifetime)_two).DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static IUserMessage[] History(Guid id) =>
    [
        new UserRegistered(id, 1, At, $"{id:N}@example.com", "Ada"),
        new UserEmailChanged(id, 2, At.AddSeconds(1), $"{id:N}@example.com", $"{id:N}@lovelace.org"),
        new UserRenamed(id, 3, At.AddSeconds(2), "Countess Ada"),
        new UserDeactivated(id, 4, At.AddSeconds(3), "moved on"),
        new UserReactivated(id, 5, At.AddSeconds(4)),
        new UserRenamed(id, 6, At.AddSeconds(5), $"Ada {id:N}"),
    ];

    [Fact]
    public async Task Two_instances_fed_shuffled_duplicated_re_published_messages_leave_the_fold_of_each_history()
    {
        var users = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var deliveries = users.SelectMany(History).Select(m => (Message: m, Id: Guid.NewGuid()))
            .SelectMany(d => new[] { d, d, d })
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        await Task.WhenAll(deliveries.Select(d => _publisher.PublishAsync(d.Message, d.Id)));

        foreach (var user in users)
        {
            var expected = History(user).Aggregate((UserProfile?)null, UserProfileEvolution.Evolve)!;
            var view = await _one.UserAsync(user, 6);
            Assert.Equal(expected.DisplayName, view.GetProperty("displayName").GetString());
            Assert.Equal(expected.Email, view.GetProperty("email").GetString());
            Assert.Equal("active", view.GetProperty("status").GetString());
            Assert.Equal(6, view.GetProperty("version").GetInt64());
        }
        foreach (var d in deliveries.Take(30))
        {
            await _publisher.PublishAsync(d.Message, d.Id); // redelivered late: nothing changes
        }
        await Task.Delay(500);
        foreach (var user in users)
        {
            Assert.Equal(6, (await _two.UserAsync(user, 6)).GetProperty("version").GetInt64());
        }
    }

    [Fact]
    public async Task A_gap_that_never_closes_goes_to_the_error_queue_with_the_reason()
    {
        var user = Guid.NewGuid();
        await _publisher.PublishAsync(History(user)[0], Guid.NewGuid());
        await _one.UserAsync(user, 1);
        await _publisher.PublishAsync(History(user)[2], Guid.NewGuid());

        var reason = await FindFaultAsync($"{QueryUsersEndpoint<UserRenamedConsumer>.Name}_error", user.ToString(), TimeSpan.FromSeconds(30));
        Assert.Contains("arrived before v2", reason, StringComparison.Ordinal);
        Assert.Equal(1, (await _one.UserAsync(user, 1)).GetProperty("version").GetInt64());
    }

    private async Task<string> FindFaultAsync(string queue, string userId, TimeSpan timeout)
    {
        var factory = new ConnectionFactory { Uri = new Uri(_broker.AmqpUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                BasicGetResult? got;
                try
                {
                    got = await channel.BasicGetAsync(queue, autoAck: false);
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
                {
                    await channel.DisposeAsync(); // the error queue is declared with the first fault
                    channel = await connection.CreateChannelAsync();
                    got = null;
                }
                if (got is null)
                {
                    await Task.Delay(200);
                    continue;
                }
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false);
                var reason = got.BasicProperties.Headers?.TryGetValue("MT-Fault-Message", out var value) == true && value is byte[] bytes
                    ? Encoding.UTF8.GetString(bytes)
                    : "";
                if (reason.Contains(userId, StringComparison.Ordinal))
                {
                    return reason;
                }
            }
        }
        finally
        {
            await channel.DisposeAsync();
        }
        throw new TimeoutException($"No fault for user {userId} in {queue} within {timeout}.");
    }
}
