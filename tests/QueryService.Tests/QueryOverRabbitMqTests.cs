using System.Diagnostics;
using System.Text;
using Accounts.Contracts;
using Accounts.Messaging;
using Accounts.Testing;
using QueryService.Integration;
using QueryService.Projection;
using QueryService.Views;
using RabbitMQ.Client;

namespace QueryService.Tests;

[CollectionDefinition("query broker", DisableParallelization = true)]
public sealed class QueryServicesSharingOneBroker;

/// <summary>
/// Two query service instances on one SQLite file consuming the one queue <c>query-users</c> of a real RabbitMQ (behind this
/// test process's messaging prefix), fed by a separate publisher: shuffled, duplicated and re-published messages; a gap that
/// never closes; a publisher behind another prefix. Every apply is a <c>project</c> span, which says when a delivery was handled.
/// </summary>
[Collection("query broker")]
public sealed class QueryOverRabbitMqTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("query-broker-").FullName;
    private RabbitMqFixture _broker = null!;
    private QueryApi _one = null!;
    private QueryApi _two = null!;
    private BrokerPublisher _publisher = null!;
    private readonly ProjectionSpans _projected = new();


    private static string Queue => new MessagingOptions { Prefix = RabbitMqFixture.MessagingPrefix }.EndpointNames("query").Consumer<UsersConsumer>();

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
        return api.WithShortRetries(16);
    }

    public async Task DisposeAsync()
    {
        _projected.Dispose();
        await _publisher.DisposeAsync();
        await ((IAsyncLifetime)_one).DisposeAsync();
        await ((IAsyncLifetime)_two).DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }


    [Fact]
    public async Task Two_instances_fed_shuffled_duplicated_re_published_messages_leave_the_fold_of_each_history()
    {
        var users = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var deliveries = users.SelectMany(UserHistories.Of).Select(m => (Message: m, Id: Guid.NewGuid()))
            .SelectMany(d => new[] { d, d, d })
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        await Task.WhenAll(deliveries.Select(d => _publisher.PublishAsync(d.Message, d.Id)));

        foreach (var user in users)
        {
            var expected = UserHistories.Of(user).Aggregate((UserProfile?)null, UserProfileEvolution.Evolve)!;
            var view = await _one.UserAsync(user, 6);
            Assert.Equal(expected.DisplayName, view.GetProperty("displayName").GetString());
            Assert.Equal(expected.Email, view.GetProperty("email").GetString());
            Assert.Equal("active", view.GetProperty("status").GetString());
            Assert.Equal(6, view.GetProperty("version").GetInt64());
        }
        var late = deliveries.Take(30).ToList();
        foreach (var d in late)
        {
            await _publisher.PublishAsync(d.Message, d.Id); // redelivered late: nothing changes
        }
        // Each delivery ends in one project span without error (a gap's retries fail first): three originals per id, then the late ones.
        var handledOnce = late.GroupBy(d => d.Id.ToString()).ToDictionary(g => g.Key, g => 3 + g.Count());
        await Eventually.UntilAsync("every late delivery to be projected", () => handledOnce.All(e => Handled(e.Key).Count >= e.Value));
        Assert.All(handledOnce.Keys, id => Assert.Single(Handled(id), span => Equals(span.GetTagItem("projection.applied"), true)));
        foreach (var user in users)
        {
            Assert.Equal(6, (await _two.UserAsync(user, 6)).GetProperty("version").GetInt64());
        }
    }

    [Fact]
    public async Task A_gap_that_never_closes_goes_to_the_error_queue_with_the_reason()
    {
        var user = Guid.NewGuid();
        await _publisher.PublishAsync(UserHistories.Of(user)[0], Guid.NewGuid());
        await _one.UserAsync(user, 1);
        await _publisher.PublishAsync(UserHistories.Of(user)[2], Guid.NewGuid());

        var reason = await FindFaultAsync($"{Queue}_error", user.ToString());
        Assert.Contains("arrived before v2", reason, StringComparison.Ordinal);
        Assert.Equal(1, (await _one.UserAsync(user, 1)).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_batch_applies_each_accounts_messages_in_its_order_without_a_gap()
    {
        var (ada, grace) = (Guid.NewGuid(), Guid.NewGuid());
        var items = UserHistories.Of(ada).Zip(UserHistories.Of(grace)).SelectMany(pair => new[] { Batched(pair.First), Batched(pair.Second) }).ToArray();

        await _publisher.Bus.Publish(new UserMessageBatch(items));

        Assert.Equal(6, (await _one.UserAsync(ada, 6)).GetProperty("version").GetInt64());
        Assert.Equal(6, (await _one.UserAsync(grace, 6)).GetProperty("version").GetInt64());
        await Eventually.UntilAsync("a project span for each of the batch's messages", () => items.All(item => Projected(item).Count > 0));
        Assert.All(items, item => Assert.All(Projected(item), span => Assert.NotEqual(ActivityStatusCode.Error, span.Status))); // no gap met
    }

    [Fact]
    public async Task An_unreadable_message_sends_its_batch_to_the_error_queue_with_the_reason_and_the_others_are_applied()
    {
        var (ada, grace) = (Guid.NewGuid(), Guid.NewGuid());
        var unreadable = new BatchedUserMessage(Guid.NewGuid(), null, null, null, null, [0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

        await _publisher.Bus.Publish(new UserMessageBatch([Batched(UserHistories.Of(ada)[0]), unreadable, Batched(UserHistories.Of(grace)[0])]));

        var reason = await FindFaultAsync($"{Queue}_error", unreadable.MessageId.ToString());
        Assert.Contains("1 of the batch's 3 messages cannot be read", reason, StringComparison.Ordinal);
        Assert.Contains("Unknown Avro schema fingerprint", reason, StringComparison.Ordinal);
        Assert.Equal(1, (await _one.UserAsync(ada, 1)).GetProperty("version").GetInt64());
        Assert.Equal(1, (await _one.UserAsync(grace, 1)).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Both_instances_consume_the_prefixed_query_users_queue_fed_by_the_prefixed_exchanges()
    {
        var factory = new ConnectionFactory { Uri = new Uri(_broker.AmqpUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        Assert.Equal($"{RabbitMqFixture.MessagingPrefix}-query-users", Queue);
        Assert.Equal(2u, (await channel.QueueDeclarePassiveAsync(Queue)).ConsumerCount);
        foreach (var type in new[] { typeof(UserRegistered), typeof(UserEmailChanged), typeof(UserRenamed), typeof(UserDeactivated), typeof(UserReactivated) })
        {
            await channel.ExchangeDeclarePassiveAsync($"{RabbitMqFixture.MessagingPrefix}-{type.Namespace}:{type.Name}");
        }
    }

    [Fact]
    public async Task Messages_published_behind_another_prefix_never_reach_this_service()
    {
        var (stranger, marker) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var other = await BrokerPublisher.StartAsync(_broker.AmqpUrl, RabbitMqFixture.UniqueName("other")))
        {
            await other.PublishAsync(UserHistories.Of(stranger)[0], Guid.NewGuid());
        }
        await _publisher.PublishAsync(UserHistories.Of(marker)[0], Guid.NewGuid());

        await _one.UserAsync(marker, 1); // the later marker arrived
        Assert.DoesNotContain(_projected, span => Equals(span.GetTagItem("user.id"), stranger.ToString()));
        var response = await _two.CreateClient().GetAsync(new Uri($"/users/{stranger}", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    private static BatchedUserMessage Batched(IUserMessage message) =>
        new(Guid.NewGuid(), null, null, null, null, Accounts.Contracts.Avro.AvroSingleObjectCodec.Latest.Encode(message));

    private List<Activity> Projected(BatchedUserMessage item) =>
        [.. _projected.Where(span => Equals(span.GetTagItem("messaging.message.id"), item.MessageId.ToString()))];

    /// <summary>The project spans of a message id that ended without error: one per handled delivery.</summary>
    private List<Activity> Handled(string messageId) =>
        [.. _projected.Where(span => Equals(span.GetTagItem("messaging.message.id"), messageId) && span.Status != ActivityStatusCode.Error)];

    /// <summary>Takes faults off <paramref name="queue"/> until one names the user (or message); the error queue is declared with the first fault.</summary>
    private async Task<string> FindFaultAsync(string queue, string userId)
    {
        var factory = new ConnectionFactory { Uri = new Uri(_broker.AmqpUrl) };
        await using var connection = await factory.CreateConnectionAsync();
        return await Eventually.UntilAsync($"a fault for user {userId} in {queue}", async () =>
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                var got = await channel.BasicGetAsync(queue, autoAck: true);
                return got?.BasicProperties.Headers?.TryGetValue("MT-Fault-Message", out var value) == true && value is byte[] bytes
                    ? Encoding.UTF8.GetString(bytes)
                    : "";
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                return "";
            }
        }, reason => reason.Contains(userId, StringComparison.Ordinal));
    }
}
