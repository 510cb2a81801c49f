namespace QueryService.Views;

/// <summary>
/// Which generation of the views is served, and which one is being built (blue/green rebuild) with the feed position its
/// build has reached. Generation 0 is the store's original table or collection (<c>user_profiles</c>).
/// </summary>
public sealed record GenerationPointer(int Served, int? Building, ulong? Position);

/// <summary>
/// Generations of the views, so they can be rebuilt from the feed while the served generation answers queries and takes
/// live changes. The pointer is one small record the store changes atomically: a generation being built is never served,
/// and the switch is that one change. <see cref="IUserViewStore"/> always works on the served generation.
/// </summary>
public interface IViewGenerations
{
    Task<GenerationPointer> ReadPointerAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts building a new, empty generation; when one is being built already, it is kept (resumed) and returned.</summary>
    Task<GenerationPointer> BeginAsync(CancellationToken cancellationToken = default);

    /// <summary>The views of the generation being built, of the users asked for (those it has).</summary>
    Task<IReadOnlyDictionary<Guid, UserProfile>> FindBuildingAsync(
        int generation, IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes views into the generation being built (each replaces a lower version only) and records the feed position the
    /// build reached, in one transaction where the store has them.
    /// </summary>
    Task WriteBuildingAsync(int generation, IReadOnlyCollection<UserProfile> profiles, ulong position, CancellationToken cancellationToken = default);

    /// <summary>Serves <paramref name="generation"/> (it must be the one being built) in one atomic change, then drops every other generation.</summary>
    Task SwitchAsync(int generation, CancellationToken cancellationToken = default);
}

/// <summary>The names a generation's table or collection gets: generation 0 keeps the original name.</summary>
public static class GenerationNames
{
    public const string Original = "user_profiles";

    public static string Of(int generation) => generation == 0 ? Original : $"{Original}_{generation}";
}
