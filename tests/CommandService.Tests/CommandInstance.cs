using Accounts.Domain;
using CommandService.Application;
using CommandService.Infrastructure;
using EventStore;
using EventStore.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommandService.Tests;

/// <summary>
/// One command-service instance's handler over the event and key store files in <paramref name="folder"/>: two of them on
/// one folder are two instances on one store, each with its own <see cref="AccountCache"/>.
/// </summary>
internal sealed class CommandInstance : IAsyncDisposable
{
    private readonly SqliteEventStore _events;
    private readonly SqliteKeyStore _keys;

    public CommandInstance(string folder, Func<IEventStore, IEventStore>? wrap = null)
    {
        _events = new SqliteEventStore(Path.Combine(folder, "events.db"));
        _keys = new SqliteKeyStore(Path.Combine(folder, "keys.db"));
        Store = wrap?.Invoke(_events) ?? _events;
        Cache = new AccountCache(Options.Create(new AccountCacheOptions()));
        Keys = new AccountKeys(_keys, Store, Cache);
        Handler = new UserCommandHandler(Store, Keys, new EmailReservations(Store, Keys, TimeProvider.System), Cache,
            TimeProvider.System, NullLogger<UserCommandHandler>.Instance);
    }

    public IEventStore Store { get; }
    public AccountCache Cache { get; }
    public AccountKeys Keys { get; }
    public UserCommandHandler Handler { get; }

    public Task<CommandOutcome> RunAsync(UserCommand command, params long[] ifMatch) =>
        Handler.HandleAsync(command, ifMatch.Length > 0 ? ifMatch : null, null, CancellationToken.None);

    /// <summary>The account as read from the store now (its events opened with the key, if it still has one).</summary>
    public async Task<UserState> ReadAsync(Guid userId) => UserState.Fold((await Keys.ReadAccountAsync(userId)).Events);

    public async ValueTask DisposeAsync()
    {
        Cache.Dispose();
        await _events.DisposeAsync();
        await _keys.DisposeAsync();
    }
}
