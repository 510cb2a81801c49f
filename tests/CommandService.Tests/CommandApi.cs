using System.Net.Http.Json;
using System.Text.Json;
using EventStore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CommandService.Tests;

/// <summary>The command service in memory (WebApplicationFactory) on its own SQLite file, deleted afterwards.</summary>
public class CommandApi : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _folder;
    private readonly string? _rabbitMqUrl;

    /// <param name="folder">Where the SQLite file lies (a new temp folder when null; deleted at the end either way).</param>
    /// <param name="rabbitMqUrl">The broker the relay publishes to; MassTransit's in-memory transport when null.</param>
    internal CommandApi(string? folder = null, string? rabbitMqUrl = null)
    {
        _folder = folder ?? Directory.CreateTempSubdirectory("command-api-").FullName;
        _rabbitMqUrl = rabbitMqUrl;
    }

    public CommandApi()
        : this(null, null)
    {
    }

    public IEventStore Store => Services.GetRequiredService<IEventStore>();

    /// <summary>The host's clock (e.g. a FakeTimeProvider shared by several instances); the system clock when null.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The folder of the store files (events.db, keys.db).</summary>
    public string Folder => _folder;

    /// <summary>More configuration, applied last (set before the host starts).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in TestTokens.Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("EventStore:SqlitePath", Path.Combine(_folder, "events.db"));
        if (_rabbitMqUrl is not null)
        {
            builder.UseSetting("ConnectionStrings:rabbitmq", _rabbitMqUrl);
            builder.UseSetting("Messaging:Prefix", RabbitMqFixture.MessagingPrefix);
        }
        if (Clock is not null)
        {
            builder.UseSetting("Relay:Linger", "00:00:00"); // a clock that stands still would hold every lone publish
        }
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        if (Clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(Clock));
        }
    }

    /// <summary>Every client this host creates sends the all-scopes test token (see <see cref="TestTokens"/>).</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.WithToken();
    }

    /// <summary>Stops the host but keeps the event store file, as a crashed or restarted process would.</summary>
    public async Task StopKeepingDataAsync()
    {
        _keepData = true;
        await DisposeAsync();
    }

    private bool _keepData;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (!_keepData)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    public async Task<HttpResponseMessage> RegisterAsync(Guid id, string email, string name = "Ada") =>
        await CreateClient().PostAsJsonAsync("/users", new { id, email, displayName = name });

    /// <summary>Events in the log but the relay's lease claims (written whenever the lease is renewed).</summary>
    public async Task<int> LogLengthAsync() => (await Store.ReadAllAsync(null, int.MaxValue)).Count(e => e.Stream != Integration.RelayLease.Stream);
}

/// <summary>Starting state: one registered user, Ada.</summary>
public sealed class ApiWithRegisteredUser : CommandApi
{
    public Guid Ada { get; } = Guid.CreateVersion7();

    public override async Task InitializeAsync()
    {
        (await RegisterAsync(Ada, "ada@example.com")).EnsureSuccessStatusCode();
    }
}
