using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Microsoft.Extensions.DependencyInjection;
using Polly.Registry;

namespace EventStore.EventStoreDb.Tests;

/// <summary>
/// One EventStoreDB for the whole conformance class: the one at EVENTSTORE_URL, or a fresh in-memory container. No
/// EventStoreDB can be installed as a local binary on these machines, so there is no third source: without either, the
/// class's tests are reported skipped (see <see cref="RequiresEventStoreDbAttribute"/>) and this fixture connects nowhere.
/// </summary>
public sealed class EventStoreDbFixture : IAsyncLifetime, IDisposable
{
    private const int Port = 2113;

    private static readonly ExternalServer Server = ExternalServer.EventStoreDb;

    private IContainer? _container;
    private ServiceProvider? _pipelines;
    private EventStoreDbEventStore? _store;

    public EventStoreDbEventStore Store => _store ?? throw new InvalidOperationException(Server.SkipReason ?? "The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        if (Server.SkipReason is not null)
        {
            return; // The tests were reported skipped at discovery; there is nothing to connect to.
        }
        var url = Server.Url;
        if (url is null)
        {
            _container = new ContainerBuilder(Server.Image)
                .WithEnvironment("EVENTSTORE_INSECURE", "true")
                .WithEnvironment("EVENTSTORE_MEM_DB", "true")
                .WithEnvironment("EVENTSTORE_RUN_PROJECTIONS", "None")
                .WithPortBinding(Port, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request
                    .ForPort(Port)
                    .ForPath("/health/live")
                    .ForStatusCodeMatching(code => (int)code is >= 200 and < 300)))
                .Build();
            await _container.StartAsync();
            url = $"esdb://{_container.Hostname}:{_container.GetMappedPublicPort(Port)}?tls=false";
        }
        _pipelines = new ServiceCollection().AddEventStoreDbResilience().BuildServiceProvider();
        _store = new EventStoreDbEventStore(url, _pipelines.GetRequiredService<ResiliencePipelineProvider<string>>());
    }

    public void Dispose()
    {
        _store?.Dispose();
        _pipelines?.Dispose();
    }

    public async Task DisposeAsync()
    {
        Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
