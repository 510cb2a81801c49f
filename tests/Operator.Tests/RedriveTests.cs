using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Contracts;
using Accounts.Messaging;
using Accounts.Operations.DeadLetters;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Accounts.Operations.Tests;

/// <summary>
/// Dead letters re-driven over a real RabbitMQ, against the query service: an unreadable message and a message whose cause
/// was fixed meanwhile (a gap whose missing version has since arrived) are moved back; the first returns to the error
/// queue with its reason, the second is applied. Nothing is lost: 2 moved, 1 applied, 1 back.
/// </summary>
public sealed class RedriveTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    [Fact]
    public async Task An_unreadable_message_returns_to_error_with_its_reason_and_a_fixed_one_is_applied()
    {
        var broker = await RabbitMqFixture.Shared();
        var prefix = RabbitMqFixture.UniqueName("redrive");
        var (queue, errorQueue) = ($"{prefix}-query-users", $"{prefix}-query-users_error");
        await using var query = new QueryHost(broker.AmqpUrl, prefix);
        var client = query.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.AllScopes);
        await using var publisher = await PublisherAsync(broker.AmqpUrl, prefix);
        await using var connection = await new ConnectionFactory { Uri = new Uri(broker.AmqpUrl) }.CreateConnectionAsync();
        var user = Guid.CreateVersion7();

        await publisher.GetRequiredService<IBus>().Publish(new UserRenamed(user, 2, At, "Renamed"));
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { ContentType = "application/vnd.apache.avro+binary", MessageId = Guid.NewGuid().ToString() };
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, "not avro"u8.ToArray());
        }
        await Eventually.UntilAsync("both messages in the error queue", () => ErrorQueues.CountAsync(connection, errorQueue), count => count == 2);
        var before = (await ErrorQueues.SummariseAsync(connection, errorQueue, peek: 2))!.FirstReasons;
        Assert.Contains(before, reason => reason.Contains("arrived before v1", StringComparison.Ordinal));

        await publisher.GetRequiredService<IBus>().Publish(new UserRegistered(user, 1, At, "fixed@example.org", "Fixed"));
        await Eventually.UntilAsync("the registration applied", async () => (int)(await client.GetAsync($"/users/{user}")).StatusCode == 200);
        var moved = await ErrorQueues.RedriveAsync(connection, errorQueue);

        Assert.Equal(2, moved);
        var view = await Eventually.UntilAsync("the re-driven rename applied",
            () => client.GetFromJsonAsync<JsonElement>($"/users/{user}"), v => v.GetProperty("version").GetInt64() == 2);
        Assert.Equal("Renamed", view.GetProperty("displayName").GetString());
        await Eventually.UntilAsync("the unreadable message back in the error queue", () => ErrorQueues.CountAsync(connection, errorQueue), count => count == 1);
        var after = Assert.Single((await ErrorQueues.SummariseAsync(connection, errorQueue))!.FirstReasons);
        Assert.DoesNotContain("arrived before", after, StringComparison.Ordinal);
        Assert.NotEqual("(no reason recorded)", after);
    }

    private static async Task<ServiceProvider> PublisherAsync(string amqpUrl, string prefix)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = amqpUrl,
            ["Messaging:Prefix"] = prefix,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddAccountsMessaging(configuration, "redrive-publisher", _ => { }).BuildServiceProvider();
        await services.GetRequiredService<IBusControl>().StartAsync();
        return services;
    }

    /// <summary>The query service on the broker behind its own prefix, with one quick retry (a gap reaches the error queue at once).</summary>
    private sealed class QueryHost(string amqpUrl, string prefix) : WebApplicationFactory<QueryService.Program>
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("redrive-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:rabbitmq", amqpUrl);
            builder.UseSetting("Messaging:Prefix", prefix);
            builder.UseSetting("Messaging:RetryIntervals:0", "00:00:00.010");
            builder.UseSetting("Query:SqlitePath", Path.Combine(_folder, "views.db"));
            foreach (var (key, value) in TestTokens.Settings)
            {
                builder.UseSetting(key, value);
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
