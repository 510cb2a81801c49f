namespace Accounts.Domain;

/// <summary>
/// The one map between every stored event type (account events and e-mail reservation events) and the stable name it is
/// stored under. A name is never changed, since that would orphan every stored event of its type, and never reused: a
/// breaking change is a new V2 event with a new name. Renaming a record does not change its stored name. The names are the
/// ones stored before this map existed, so existing event stores read unchanged.
/// </summary>
public static class StoredEventTypes
{
    /// <summary>Every stored event type with its stable name.</summary>
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(UserRegistered), "UserRegistered"),
        (typeof(UserEmailChanged), "UserEmailChanged"),
        (typeof(UserRenamed), "UserRenamed"),
        (typeof(UserDeactivated), "UserDeactivated"),
        (typeof(UserReactivated), "UserReactivated"),
        (typeof(UserErased), "UserErased"),
        (typeof(EmailReserved), "EmailReserved"),
        (typeof(EmailReleased), "EmailReleased"),
    ];

    public static readonly IReadOnlyDictionary<string, Type> ByName = All.ToDictionary(entry => entry.Name, entry => entry.Type);

    private static readonly Dictionary<Type, string> NameByType = All.ToDictionary(entry => entry.Type, entry => entry.Name);

    public static string NameOf(Type type) =>
        NameByType.TryGetValue(type, out var name)
            ? name
            : throw new ArgumentException($"{type.Name} has no stable stored name", nameof(type));
}
