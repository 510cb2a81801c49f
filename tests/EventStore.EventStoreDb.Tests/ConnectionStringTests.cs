using System.Text;

namespace EventStore.EventStoreDb.Tests;

public sealed class ConnectionStringTests
{
    [Fact]
    public void An_insecure_single_node()
    {
        var parsed = EventStoreDbConnectionString.Parse("esdb://eventstore:2113?tls=false");
        Assert.Equal(new Uri("http://eventstore:2113"), parsed.Address);
        Assert.False(parsed.UseTls);
        Assert.Null(parsed.UserName);
        Assert.Null(parsed.BasicAuthorization);
        Assert.Equal(EventStoreDbConnectionString.DefaultDeadline, parsed.Deadline);
    }

    [Fact]
    public void Tls_is_on_by_default_and_the_port_defaults_to_2113()
    {
        var parsed = EventStoreDbConnectionString.Parse("esdb://db.example");
        Assert.True(parsed.UseTls);
        Assert.Equal(new Uri("https://db.example:2113"), parsed.Address);
    }

    [Fact]
    public void Credentials_become_a_basic_authorization_header_and_stay_out_of_ToString()
    {
        var parsed = EventStoreDbConnectionString.Parse("esdb://admin:ch%40nge:it@localhost:2114?tls=true&defaultDeadline=2500");
        Assert.Equal("admin", parsed.UserName);
        Assert.Equal("ch@nge:it", parsed.Password);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:ch@nge:it")), parsed.BasicAuthorization);
        Assert.Equal(new Uri("https://localhost:2114"), parsed.Address);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), parsed.Deadline);
        Assert.DoesNotContain("ch@nge", parsed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("esdb://LOCALHOST:2113/?TLS=False")]
    [InlineData("  esdb://localhost:2113?tls=false  ")]
    public void Case_and_surrounding_space_do_not_matter(string text)
    {
        Assert.Equal(new Uri("http://localhost:2113"), EventStoreDbConnectionString.Parse(text).Address);
    }

    [Theory]
    [InlineData("http://localhost:2113")]
    [InlineData("esdb+discover://a:2113,b:2113")]
    [InlineData("esdb://node1:2113,,node3:2113")]
    [InlineData("esdb://node1:2113?nodePreference=nearest")]
    [InlineData("esdb://")]
    [InlineData("esdb://localhost:2113?tls=maybe")]
    [InlineData("esdb://localhost:2113?tlsVerifyCert=false")]
    [InlineData("esdb://localhost:2113?defaultDeadline=-1")]
    [InlineData("esdb://justauser@localhost:2113")]
    public void Unsupported_or_malformed_strings_are_rejected(string text)
    {
        Assert.Throws<FormatException>(() => EventStoreDbConnectionString.Parse(text));
    }

    [Fact]
    public void A_host_list_is_a_cluster_of_seeds_and_reads_follow_the_node_preference()
    {
        var parsed = EventStoreDbConnectionString.Parse("esdb://admin:changeit@h1:2113,h2:2114,h3?tls=false&nodePreference=follower");
        Assert.True(parsed.IsCluster);
        Assert.False(parsed.Discover);
        Assert.Equal([new Uri("http://h1:2113"), new Uri("http://h2:2114"), new Uri("http://h3:2113")], parsed.Seeds);
        Assert.Equal(NodePreference.Follower, parsed.NodePreference);
        Assert.Equal("esdb://admin:***@h1:2113,h2:2114,h3:2113?tls=false", parsed.ToString());
    }

    [Fact]
    public void Discover_names_the_cluster_by_one_host_and_one_host_alone_is_no_cluster()
    {
        var discovered = EventStoreDbConnectionString.Parse("esdb+discover://cluster.example:2113");
        Assert.True(discovered.IsCluster);
        Assert.Equal([new Uri("https://cluster.example:2113")], discovered.Seeds);
        Assert.Equal(NodePreference.Leader, discovered.NodePreference);
        Assert.False(EventStoreDbConnectionString.Parse("esdb://one:2113?tls=false").IsCluster);
    }
}
