using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Accounts.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QueryService.Views;

namespace QueryService.Tests;

/// <summary>
/// Starting state: a query service on the in-memory bus whose clock stands still until a test moves it (read-your-writes
/// waits up to <see cref="Timeout"/>, looking again every <see cref="Poll"/>), and which counts the reads of each user's view.
/// </summary>
public sealed class ApiOnInMemoryBus : QueryApi
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, int> _reads = new();

    public ApiOnInMemoryBus()
    {
        Settings["Query:ReadYourWritesTimeout"] = Timeout.ToString();
        Settings["Query:ReadYourWritesPoll"] = Poll.ToString();
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000));

    /// <summary>How often the view of <paramref name="userId"/> was read, by requests and by the projection.</summary>
    public int ReadsOf(Guid userId) => _reads.GetValueOrDefault(userId);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            var store = services.Last(service => service.ServiceType == typeof(IUserViewStore));
            services.AddSingleton<IUserViewStore>(sp => new CountingReads((IUserViewStore)store.ImplementationFactory!(sp), _reads));
        });
    }

    private sealed class CountingReads(IUserViewStore inner, ConcurrentDictionary<Guid, int> reads) : IUserViewStore
    {
        public Task<UserProfile?> FindAsync(Guid userId, CancellationToken cancellationToken = default)
        {
            reads.AddOrUpdate(userId, 1, (_, count) => count + 1);
            return inner.FindAsync(userId, cancellationToken);
        }

        public Task<bool> TryWriteAsync(UserProfile profile, CancellationToken cancellationToken = default) => inner.TryWriteAsync(profile, cancellationToken);

        public Task<IReadOnlyList<UserProfile>> SearchAsync(UserSearch search, CancellationToken cancellationToken = default) => inner.SearchAsync(search, cancellationToken);

        public Task<UserCounts> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);
    }
}

public sealed class QueryApiTests(ApiOnInMemoryBus api) : IClassFixture<ApiOnInMemoryBus>
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);

    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task An_unknown_user_is_404_problem_details()
    {
        var problem = await (await _client.GetAsync(new Uri($"/users/{Guid.NewGuid()}", UriKind.Relative))).ProblemAsync(404);
        Assert.Equal("/problems/user-not-found", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_published_registration_becomes_a_profile_with_its_version_as_etag()
    {
        var id = Guid.NewGuid();
        await api.PublishAsync(new UserRegistered(id, 1, At, "Reg@Example.com", "Reggie"));
        var profile = await api.UserAsync(id, minVersion: 1);
        Assert.Equal("Reg@Example.com", profile.GetProperty("email").GetString());
        Assert.Equal("Reggie", profile.GetProperty("displayName").GetString());
        Assert.Equal("active", profile.GetProperty("status").GetString());
        Assert.Equal(1, profile.GetProperty("version").GetInt64());
        var plain = await _client.GetAsync(new Uri($"/users/{id}", UriKind.Relative));
        Assert.Equal("\"1\"", plain.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Read_your_writes_waits_for_the_version_and_is_woken_by_the_projection()
    {
        var id = Guid.NewGuid();
        var request = _client.GetAsync(new Uri($"/users/{id}?minVersion=2", UriKind.Relative));
        await Eventually.UntilAsync("the request to look at the view", () => api.ReadsOf(id) > 0);
        Assert.False(request.IsCompleted);
        var clock = api.Clock.GetUtcNow();
        await api.PublishAsync(new UserRegistered(id, 1, At, "wait@example.com", "Waiter"));
        await api.PublishAsync(new UserRenamed(id, 2, At.AddSeconds(1), "Waited"));
        var profile = await (await request).JsonAsync(200);
        Assert.Equal("Waited", profile.GetProperty("displayName").GetString());
        Assert.Equal(clock, api.Clock.GetUtcNow()); // the clock stood still: no poll and no time-out answered, the projection did
    }

    [Fact]
    public async Task Read_your_writes_times_out_with_409_saying_which_version_it_has()
    {
        var id = Guid.NewGuid();
        await api.PublishAsync(new UserRegistered(id, 1, At, "slow@example.com", "Slow"));
        await api.UserAsync(id, 1);
        var started = api.Clock.GetUtcNow();
        var request = _client.GetAsync(new Uri($"/users/{id}?minVersion=3", UriKind.Relative));
        await Eventually.UntilAsync("the read-your-writes wait to time out as its clock moves", () =>
        {
            if (!request.IsCompleted)
            {
                api.Clock.Advance(ApiOnInMemoryBus.Poll);
            }
            return request.IsCompleted;
        });
        Assert.True(api.Clock.GetUtcNow() - started >= ApiOnInMemoryBus.Timeout, $"answered after {api.Clock.GetUtcNow() - started} on its clock");
        var problem = await (await request).ProblemAsync(409);
        Assert.Equal("/problems/view-behind", problem.GetProperty("type").GetString());
        Assert.Equal(1, problem.GetProperty("currentVersion").GetInt64());
        Assert.Contains("is at version 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_directory_searches_filters_and_pages_with_an_opaque_cursor()
    {
        var tag = $"dir{Guid.NewGuid():N}"[..12];
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            await api.PublishAsync(new UserRegistered(id, 1, At, $"{tag}{i}@example.com", $"{tag.ToUpperInvariant()} User {i}"));
        }
        await api.PublishAsync(new UserDeactivated(ids[4], 2, At.AddSeconds(1), "test"));
        await api.UserAsync(ids[4], 2);
        foreach (var id in ids[..4])
        {
            await api.UserAsync(id, 1);
        }

        var seen = new List<string>();
        string? next = null;
        do
        {
            var query = $"/users?search={tag}&status=active&limit=2" + (next is null ? "" : $"&after={next}");
            var page = await (await _client.GetAsync(new Uri(query, UriKind.Relative))).JsonAsync(200);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("displayName").GetString()!));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (next is not null);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"{tag.ToUpperInvariant()} User {i}"), seen);
    }

    [Theory]
    [InlineData("/users?status=sleeping", "status")]
    [InlineData("/users?limit=0", "limit")]
    [InlineData("/users?limit=100000", "limit")]
    [InlineData("/users?after=not-a-cursor", "after")]
    [InlineData("/users/not-a-guid", "id")]
    [InlineData("/users/0b5e2c8e-6a7d-4f0e-9d7c-3c2b1a0f9e8d?minVersion=0", "minVersion")]
    public async Task Bad_input_is_400_problem_details_naming_the_field(string url, string field)
    {
        var problem = await (await _client.GetAsync(new Uri(url, UriKind.Relative))).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Stats_count_active_and_deactivated_accounts()
    {
        var before = await _client.GetFromJsonAsync<JsonElement>(new Uri("/stats", UriKind.Relative));
        var id = Guid.NewGuid();
        await api.PublishAsync(new UserRegistered(id, 1, At, "counted@example.com", "Counted"));
        await api.PublishAsync(new UserDeactivated(id, 2, At.AddSeconds(1), "test"));
        await api.UserAsync(id, 2);
        var after = await _client.GetFromJsonAsync<JsonElement>(new Uri("/stats", UriKind.Relative));
        Assert.Equal(before.GetProperty("deactivated").GetInt64() + 1, after.GetProperty("deactivated").GetInt64());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy(string url)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
