namespace Accounts.Messaging;

/// <summary>
/// The connection string named <c>rabbitmq</c>: <c>amqp://user:pass@host:5672/vhost</c> for one broker, or several nodes of one
/// cluster separated by commas, <c>amqp://user:pass@rabbit-0:5672,rabbit-1:5672,rabbit-2/vhost</c> (a node without a port
/// takes the scheme's: 5672, or 5671 for <c>amqps</c>). The client connects to the first node that answers and, when its node
/// goes away, reconnects to another.
/// </summary>
public sealed record BrokerAddress(Uri First, IReadOnlyList<string> Nodes)
{
    public bool IsCluster => Nodes.Count > 1;

    public static BrokerAddress Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var schemeEnd = connectionString.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
            throw new FormatException("The rabbitmq connection string is not of the form amqp://[user:pass@]host[:port][,host[:port]...]/[vhost].");

        var scheme = connectionString[..schemeEnd].ToLowerInvariant();
        var defaultPort = scheme switch
        {
            "amqp" or "rabbitmq" => 5672,
            "amqps" or "rabbitmqs" => 5671,
            _ => throw new FormatException($"The rabbitmq connection string has the unknown scheme '{scheme}' (amqp or amqps)."),
        };
        var rest = connectionString[(schemeEnd + 3)..];
        var pathStart = rest.IndexOfAny(['/', '?']);
        var authority = pathStart < 0 ? rest : rest[..pathStart];
        var path = pathStart < 0 ? "/" : rest[pathStart..];
        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? "" : authority[..(at + 1)];
        var nodes = authority[(at + 1)..].Split(',', StringSplitOptions.TrimEntries)
            .Select(node => WithPort(node, defaultPort))
            .ToList();
        return new BrokerAddress(new Uri($"{scheme}://{userInfo}{nodes[0]}{path}"), nodes);
    }

    static string WithPort(string node, int defaultPort)
    {
        if (node.Length == 0)
            throw new FormatException("The rabbitmq connection string names an empty host.");
        var colon = node.LastIndexOf(':');
        return colon > 0 && node.IndexOf(']', StringComparison.Ordinal) < colon ? node : $"{node}:{defaultPort}";
    }

    /// <summary>The nodes without credentials, for logs.</summary>
    public override string ToString() => $"{First.Scheme}://{string.Join(',', Nodes)}{First.AbsolutePath}";
}
