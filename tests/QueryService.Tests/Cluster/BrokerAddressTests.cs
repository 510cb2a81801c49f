using Accounts.Messaging;

namespace QueryService.Tests.Cluster;

public sealed class BrokerAddressTests
{
    [Fact]
    public void One_broker_is_one_node()
    {
        var broker = BrokerAddress.Parse("amqp://guest:guest@rabbit:5672/accounts");
        Assert.False(broker.IsCluster);
        Assert.Equal(new Uri("amqp://guest:guest@rabbit:5672/accounts"), broker.First);
        Assert.Equal(["rabbit:5672"], broker.Nodes);
    }

    [Fact]
    public void A_cluster_lists_every_node_and_a_node_without_a_port_takes_the_schemes()
    {
        var broker = BrokerAddress.Parse("amqp://user:p%40ss@rabbit-0:5672, rabbit-1:5673,rabbit-2/");
        Assert.True(broker.IsCluster);
        Assert.Equal(["rabbit-0:5672", "rabbit-1:5673", "rabbit-2:5672"], broker.Nodes);
        Assert.Equal("rabbit-0", broker.First.Host);
        Assert.Equal("user:p%40ss", broker.First.UserInfo);
        Assert.Equal(["tls-0:5671", "tls-1:5671"], BrokerAddress.Parse("amqps://tls-0,tls-1").Nodes);
    }

    [Fact]
    public void The_credentials_stay_out_of_ToString()
    {
        var broker = BrokerAddress.Parse("amqp://admin:secret@a:5672,b:5672/vh");
        Assert.Equal("amqp://a:5672,b:5672/vh", broker.ToString());
    }

    [Theory]
    [InlineData("rabbit:5672")]
    [InlineData("http://rabbit:5672/")]
    [InlineData("amqp://a:5672,,b:5672/")]
    public void A_malformed_connection_string_is_refused(string connectionString) =>
        Assert.Throws<FormatException>(() => BrokerAddress.Parse(connectionString));
}
