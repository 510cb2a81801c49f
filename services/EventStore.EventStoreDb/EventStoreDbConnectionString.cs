using System.Globalization;
using System.Text;

namespace EventStore.EventStoreDb;

/// <summary>
/// Where the EventStoreDB server is and how to reach it, parsed from <c>esdb://[user:password@]host[:port][?settings]</c>.
/// Settings understood: <c>tls</c> (true by default, as with the official clients) and <c>defaultDeadline</c> (milliseconds
/// per call). Anything else, cluster host lists and <c>esdb+discover://</c> are rejected rather than silently ignored.
/// </summary>
public sealed class EventStoreDbConnectionString
{
    public const int DefaultPort = 2113;

    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    private const string Scheme = "esdb://";

    private EventStoreDbConnectionString(Uri address, bool useTls, string? userName, string? password, TimeSpan deadline)
    {
        Address = address;
        UseTls = useTls;
        UserName = userName;
        Password = password;
        Deadline = deadline;
    }

    /// <summary>The gRPC endpoint: <c>http://host:port</c> without TLS, <c>https://host:port</c> with it.</summary>
    public Uri Address { get; }

    public bool UseTls { get; }

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
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("An EventStoreDB connection string starts with esdb:// (esdb+discover:// is not supported here).");
        }
        var rest = text[Scheme.Length..];
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
        if (rest.Contains(',', StringComparison.Ordinal))
        {
            throw new FormatException("Cluster host lists are not supported by this adapter; give one node (or a load balancer).");
        }
        if (rest.Length == 0 || !Uri.TryCreate("http://" + rest, UriKind.Absolute, out var authority) || authority.AbsolutePath != "/")
        {
            throw new FormatException($"'{rest}' is not a host[:port].");
        }

        var useTls = true;
        var deadline = DefaultDeadline;
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
                default:
                    throw new FormatException($"Setting '{key}' is not supported by this adapter (supported: tls, defaultDeadline).");
            }
        }

        var port = authority.IsDefaultPort ? DefaultPort : authority.Port;
        var address = new UriBuilder(useTls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, authority.Host, port).Uri;
        return new EventStoreDbConnectionString(address, useTls, userName, password, deadline);
    }

    /// <summary>The connection without its password, safe to log.</summary>
    public override string ToString() =>
        $"esdb://{(UserName is null ? "" : UserName + ":***@")}{Address.Authority}?tls={(UseTls ? "true" : "false")}";
}
