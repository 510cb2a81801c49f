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
    [InlineData("esdb+discover://cluster.example:2113")]
    [InlineData("esdb://node1:2113,node2:2113")]
    [InlineData("esdb://")]
    [InlineData("esdb://localhost:2113?tls=maybe")]
    [InlineData("esdb://localhost:2113?tlsVerifyCert=false")]
    [InlineData("esdb://localhost:2113?defaultDeadline=-1")]
    [InlineData("esdb://justauser@localhost:2113")]
    public void Unsupported_or_malformed_strings_are_rejected(string text)
    {
        Assert.Throws<FormatException>(() => EventStoreDbConnectionString.Parse(text));
    }
}
