using System.Globalization;
using System.Text;

namespace EventStore.EventStoreDb;

/// <summary>
/// Where the EventStoreDB server is and how to reach it: <c>esdb://[user:password@]host[:port][?settings]</c> for one node,
/// <c>esdb://host1:2113,host2:2113,host3:2113?...</c> for a cluster's nodes as gossip seeds, <c>esdb+discover://host:2113</c>
/// for a cluster found through one name (DNS naming the nodes). Settings understood: <c>tls</c> (true by default, as with
/// the official clients), <c>defaultDeadline</c> (milliseconds per call) and <c>nodePreference</c> (leader, follower,
/// random, readOnlyReplica: where reads go). Anything else is rejected rather than silently ignored.
/// </summary>
public sealed class EventStoreDbConnectionString
{
    public const int DefaultPort = 2113;

    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    private const string Scheme = "esdb://";
    private const string DiscoverScheme = "esdb+discover://";

    private EventStoreDbConnectionString(IReadOnlyList<Uri> seeds, bool discover, NodePreference preference, bool useTls, string? userName, string? password, TimeSpan deadline)
    {
        Seeds = seeds;
        Address = seeds[0];
        Discover = discover;
        NodePreference = preference;
        UseTls = useTls;
        UserName = userName;
        Password = password;
        Deadline = deadline;
    }

    /// <summary>The gRPC endpoint: <c>http://host:port</c> without TLS, <c>https://host:port</c> with it.</summary>
    public Uri Address { get; }

    public bool UseTls { get; }

    /// <summary>The nodes given: where the gossip is asked for the cluster's members (the one node, when not a cluster).</summary>
    public IReadOnlyList<Uri> Seeds { get; }

    /// <summary><c>esdb+discover://</c>: the one name given stands for the cluster.</summary>
    public bool Discover { get; }

    /// <summary>Where reads go in a cluster.</summary>
    public NodePreference NodePreference { get; }

    /// <summary>Several nodes or discovery: the leader is found by gossip and writes require it.</summary>
    public bool IsCluster => Discover || Seeds.Count > 1;

    public string? UserName { get; }

    public string? Password { get; }

    /// <summary>The deadline given to each unary or bounded call (appends and reads; not live subscriptions).</summary>
    public TimeSpan Deadline { get; }

    /// <summary>The <c>authorization</c> header value when credentials were given, else null.</summary>
    public string? BasicAuthorization => UserName is null
        ? null
        : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}"));

    public static EventStoreDbConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var text = connectionString.Trim();
        var discover = text.StartsWith(DiscoverScheme, StringComparison.OrdinalIgnoreCase);
        if (!discover && !text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("An EventStoreDB connection string starts with esdb:// or esdb+discover://.");
        }
        var rest = text[(discover ? DiscoverScheme : Scheme).Length..];
        var query = string.Empty;
        if (rest.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }
        rest = rest.TrimEnd('/');

        string? userName = null, password = null;
        if (rest.LastIndexOf('@') is var at and >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException("Credentials in an EventStoreDB connection string are written user:password@.");
            }
            userName = Uri.UnescapeDataString(userInfo[..colon]);
            password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }
        var hosts = rest.Split(',', StringSplitOptions.TrimEntries).Select(Authority).ToList();
        if (discover && hosts.Count > 1)
        {
            throw new FormatException("esdb+discover:// takes one name for the cluster; list the nodes with esdb:// instead.");
        }

        var useTls = true;
        var deadline = DefaultDeadline;
        var preference = NodePreference.Leader;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
                ? (pair[..eq], Uri.UnescapeDataString(pair[(eq + 1)..]))
                : throw new FormatException($"Setting '{pair}' has no value.");
            switch (key.ToUpperInvariant())
            {
                case "TLS":
                    useTls = bool.TryParse(value, out var tls) ? tls : throw new FormatException($"tls must be true or false, not '{value}'.");
                    break;
                case "DEFAULTDEADLINE":
                    deadline = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
                        ? TimeSpan.FromMilliseconds(ms)
                        : throw new FormatException($"defaultDeadline is a positive number of milliseconds, not '{value}'.");
                    break;
                case "NODEPREFERENCE":
                    preference = Enum.TryParse<NodePreference>(value, ignoreCase: true, out var p) && Enum.IsDefined(p)
                        ? p
                        : throw new FormatException($"nodePreference is leader, follower, random or readOnlyReplica, not '{value}'.");
                    break;
                default:
                    throw new FormatException($"Setting '{key}' is not supported by this adapter (supported: tls, defaultDeadline, nodePreference).");
            }
        }

        var seeds = hosts.Select(authority => new UriBuilder(useTls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, authority.Host,
            authority.IsDefaultPort ? DefaultPort : authority.Port).Uri).ToList();
        return new EventStoreDbConnectionString(seeds, discover, preference, useTls, userName, password, deadline);
    }

    private static Uri Authority(string host) =>
        host.Length > 0 && Uri.TryCreate("http://" + host, UriKind.Absolute, out var authority) && authority.AbsolutePath == "/"
            ? authority
            : throw new FormatException($"'{host}' is not a host[:port].");

    /// <summary>The connection without its password, safe to log.</summary>
    public override string ToString() =>
        $"{(Discover ? DiscoverScheme : Scheme)}{(UserName is null ? "" : UserName + ":***@")}{string.Join(',', Seeds.Select(seed => seed.Authority))}?tls={(UseTls ? "true" : "false")}";
}
