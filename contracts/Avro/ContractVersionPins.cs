namespace Accounts.Contracts.Avro;

/// <summary>
/// Which version of a contract a service was built against. A pinned service writes that version and reads every
/// other version into it, exactly as a service still compiled against older contracts would. Unpinned: the latest.
/// </summary>
public sealed class ContractVersionPins
{
    readonly Dictionary<Type, int> _versions = [];

    public ContractVersionPins Pin<T>(int version)
        where T : class
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        _versions[typeof(T)] = version;
        return this;
    }

    public int? PinnedVersionOf(Type messageType) => _versions.TryGetValue(messageType, out var version) ? version : null;
}
