using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Microsoft.Extensions.DependencyInjection;
using Polly.Registry;

namespace EventStore.EventStoreDb.Tests;

/// <summary>One EventStoreDB for the whole conformance class: the one at EVENTSTORE_URL, or a fresh in-memory container.</summary>
public sealed class EventStoreDbFixture : IAsyncLifetime, IDisposable
{
    private IContainer? _container;
    private ServiceProvider? _pipelines;
    private EventStoreDbEventStore? _store;

    public EventStoreDbEventStore Store => _store ?? throw new InvalidOperationException(EventStoreDbServer.SkipReason);

    public async Task InitializeAsync()
    {
        if (EventStoreDbServer.Unavailable is not null)
        {
            return; // The tests were reported skipped at discovery; there is nothing to connect to.
        }
        var url = EventStoreDbServer.Url;
        if (url is null)
        {
            _container = new ContainerBuilder(EventStoreDbServer.Image)
                .WithEnvironment("EVENTSTORE_INSECURE", "true")
                .WithEnvironment("EVENTSTORE_MEM_DB", "true")
                .WithEnvironment("EVENTSTORE_RUN_PROJECTIONS", "None")
                .WithPortBinding(EventStoreDbServer.Port, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request
                    .ForPort(EventStoreDbServer.Port)
                    .ForPath("/health/live")
                    .ForStatusCodeMatching(code => (int)code is >= 200 and < 300)))
                .Build();
            await _container.StartAsync();
            url = $"esdb://{_container.Hostname}:{_container.GetMappedPublicPort(EventStoreDbServer.Port)}?tls=false";
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
