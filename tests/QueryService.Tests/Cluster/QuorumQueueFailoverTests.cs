using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Contracts;
using Accounts.Messaging;
using MassTransit;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using QueryService.Integration;

namespace QueryService.Tests.Cluster;

/// <summary>
/// Two query service instances on quorum queues of a three-node RabbitMQ cluster (private local nodes, see
/// <see cref="LocalRabbitMqCluster"/>), fed by a publisher that knows all three nodes. The node holding the leader of the
/// service's queue is killed (SIGKILL) while messages flow, and started again later. Every <c>project</c> span says whether
/// a delivery changed a view.
/// </summary>
[Collection("query broker")]
public sealed class QuorumQueueFailoverTests : IAsyncLifetime
{
    // A publish whose node died before it confirmed is published again, with the same message id, through another node.
    private static readonly ResiliencePipeline Republish = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 20, Delay = TimeSpan.FromMilliseconds(200), BackoffType = DelayBackoffType.Constant })
        .AddTimeout(TimeSpan.FromSeconds(5))
        .Build();

    private readonly string _folder = Directory.CreateTempSubdirectory("query-quorum-").FullName;
    private readonly ProjectionSpans _projected = new();
    private LocalRabbitMqCluster _cluster = null!;
    private QueryApi _one = null!;
    private QueryApi _two = null!;
    private BrokerPublisher _publisher = null!;


    private static string Queue => new MessagingOptions { Prefix = RabbitMqFixture.MessagingPrefix }.EndpointNames("query").Consumer<UsersConsumer>();

    public async Task InitializeAsync()
    {
        _cluster = await LocalRabbitMqCluster.Shared();
        (_one, _two) = (Instance(), Instance());
        await _one.InitializeAsync();
        await _two.InitializeAsync();
        _publisher = await BrokerPublisher.StartAsync(_cluster.ConnectionString);
    }

    private QueryApi Instance()
    {
        var api = new QueryApi(_folder, _cluster.ConnectionString);
        api.Settings["Messaging:QueueType"] = "quorum";
        return api.WithShortRetries(12);
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
    public async Task Messages_flow_while_the_node_holding_the_queues_leader_is_killed_and_restarted_and_none_is_lost_or_applied_twice()
    {
        Assert.Equal("quorum", await _cluster.TypeOfAsync(Queue));
        var before = await PublishUsersAsync(10);
        await ConvergedAsync(before);

        var leader = await _cluster.LeaderOfAsync(Queue, _cluster.Nodes[0]);
        Assert.NotNull(leader);
        var during = PublishUsersAsync(10);
        leader.Kill();
        var survivor = _cluster.Nodes.First(node => node != leader);
        var newLeader = await Eventually.UntilAsync("another node to lead the queue", () => _cluster.LeaderOfAsync(Queue, survivor), node => node is not null && node != leader);
        var whileDown = await during.WaitAsync(TimeSpan.FromMinutes(2)); // a publish that never ends fails the test, not the run
        await ConvergedAsync(whileDown);

        await leader.RestartAsync();
        var after = await PublishUsersAsync(10);
        await ConvergedAsync([.. before, .. whileDown, .. after]);

        var applied = _projected.Where(span => Equals(span.GetTagItem("projection.applied"), true))
            .GroupBy(span => (User: (string?)span.GetTagItem("user.id"), Version: span.GetTagItem("user.version")))
            .ToList();
        Assert.Equal(30 * 6, applied.Count);
        Assert.All(applied, change => Assert.Single(change));
        Assert.NotEqual(leader, newLeader);
    }

    [Fact]
    public async Task The_error_queue_is_a_quorum_queue_too()
    {
        var user = Guid.NewGuid();
        await _publisher.PublishAsync(UserHistories.Of(user)[0], Guid.NewGuid());
        await _publisher.PublishAsync(UserHistories.Of(user)[2], Guid.NewGuid()); // v2 never comes: after the retries, _error

        Assert.Equal("quorum", await Eventually.UntilAsync("the error queue to be declared", () => _cluster.TypeOfAsync($"{Queue}_error"), type => type is not null));
    }

    /// <summary>Publishes the histories of new users, each in order, the users at once; each publish is retried until confirmed.</summary>
    private async Task<Guid[]> PublishUsersAsync(int count)
    {
        var users = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        await Task.WhenAll(users.Select(async user =>
        {
            foreach (var message in UserHistories.Of(user))
            {
                var id = Guid.NewGuid();
                await Republish.ExecuteAsync(async token => await _publisher.Bus.Publish(message, message.GetType(), (PublishContext context) => context.MessageId = id, token));
            }
        }));
        return users;
    }

    private async Task ConvergedAsync(IEnumerable<Guid> users)
    {
        foreach (var user in users)
        {
            foreach (var instance in new[] { _one, _two })
            {
                await Eventually.UntilAsync($"user {user} at v6", () => VersionAsync(instance, user), version => version == 6, TimeSpan.FromSeconds(60));
            }
        }
    }

    private static async Task<long> VersionAsync(QueryApi instance, Guid user)
    {
        var response = await instance.CreateClient().GetAsync(new Uri($"/users/{user}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.NotFound ? 0 : (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
    }
}
