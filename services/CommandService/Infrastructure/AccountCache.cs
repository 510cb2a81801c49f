using CommandService.Application;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CommandService.Infrastructure;

/// <summary>
/// What the command service remembers of recently used accounts (bounded by <see cref="AccountCacheOptions.MaxEntries"/>,
/// least recently used out first): folded account states, each exact for the revision it names, so a command can decide
/// without reading; the append's expected revision says whether that revision is still the last.
/// And the accounts' data keys, which no append checks: an erasure here evicts the key, and a key read while an
/// erasure ran is not kept (see <see cref="RememberKey"/>).
/// </summary>
public sealed class AccountCache : IDisposable
{
    private readonly MemoryCache? _entries;
    private long _erasures;

    public AccountCache(IOptions<AccountCacheOptions> options) =>
        _entries = options.Value.MaxEntries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.MaxEntries }) : null;

    public AccountSnapshot? Account(Guid userId) => _entries?.Get<AccountSnapshot>(new AccountEntry(userId));

    public void Remember(Guid userId, AccountSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            Forget(userId);
            return;
        }
        Set(new AccountEntry(userId), snapshot);
    }

    public void Forget(Guid userId) => _entries?.Remove(new AccountEntry(userId));

    /// <summary>How many erasures this instance has run: read it before reading a key from the key store.</summary>
    public long Erasures => Volatile.Read(ref _erasures);

    public byte[]? Key(Guid userId) => _entries?.Get<byte[]>(new KeyEntry(userId));

    /// <summary>
    /// Keeps a key read from the key store, unless an erasure ran since <paramref name="erasuresBeforeRead"/>: it may have
    /// destroyed this very key after the read, and its eviction may have come before this call.
    /// </summary>
    public void RememberKey(Guid userId, byte[] key, long erasuresBeforeRead)
    {
        Set(new KeyEntry(userId), key);
        if (Erasures != erasuresBeforeRead)
        {
            _entries?.Remove(new KeyEntry(userId));
        }
    }

    /// <summary>Called once the account's key was destroyed: forgets the key and the account's state (which holds its personal data).</summary>
    public void Erased(Guid userId)
    {
        Interlocked.Increment(ref _erasures);
        _entries?.Remove(new KeyEntry(userId));
        Forget(userId);
    }

    public void Dispose() => _entries?.Dispose();

    private void Set(object key, object value)
    {
        if (_entries is null)
        {
            return;
        }
        using var entry = _entries.CreateEntry(key);
        entry.Size = 1;
        entry.Value = value;
    }

    private readonly record struct AccountEntry(Guid UserId);

    private readonly record struct KeyEntry(Guid UserId);
}
