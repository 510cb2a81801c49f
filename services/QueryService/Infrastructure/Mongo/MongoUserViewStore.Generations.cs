using MongoDB.Bson.Serialization.Attributes;
using MongoDB.Driver;
using QueryService.Views;

namespace QueryService.Infrastructure.Mongo;

/// <summary>
/// Generations as collections, the served one named by one pointer document (<c>view_generations</c>, id
/// <c>user_profiles</c>): renameCollection cannot swap several collections atomically, a single-document update can. A
/// rebuild's batch is a bulk upsert that replaces lower versions only; its position is stored after it, so a crash between
/// the two repeats the batch, which the version rule makes harmless.
/// </summary>
public sealed partial class MongoUserViewStore : IViewGenerations
{
    public const string PointerCollection = "view_generations";

    private readonly IMongoCollection<GenerationPointerDocument> _pointers;

    private static FilterDefinition<GenerationPointerDocument> ThePointer =>
        Builders<GenerationPointerDocument>.Filter.Eq(p => p.Id, GenerationNames.Original);

    public async Task<GenerationPointer> ReadPointerAsync(CancellationToken cancellationToken = default)
    {
        var document = await _pointers.Find(ThePointer).FirstOrDefaultAsync(cancellationToken);
        return document is null ? new GenerationPointer(0, null, null) : new GenerationPointer(document.Served, document.Building, (ulong?)document.Position);
    }

    public async Task<GenerationPointer> BeginAsync(CancellationToken cancellationToken = default)
    {
        var pointer = await ReadPointerAsync(cancellationToken);
        if (pointer.Building is not null)
        {
            return pointer;
        }
        var generation = pointer.Served + 1;
        await _database.DropCollectionAsync(GenerationNames.Of(generation), cancellationToken);
        await Collection(generation).Indexes.CreateManyAsync(UserProfileQueries.Indexes, cancellationToken);
        var building = Builders<GenerationPointerDocument>.Update
            .Set(p => p.Served, pointer.Served).Set(p => p.Building, generation).Set(p => p.Position, null);
        await _pointers.UpdateOneAsync(ThePointer, building, new UpdateOptions { IsUpsert = true }, cancellationToken);
        return pointer with { Building = generation, Position = null };
    }

    public async Task<IReadOnlyDictionary<Guid, UserProfile>> FindBuildingAsync(
        int generation, IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken = default)
    {
        var ids = userIds.Select(id => id.ToString());
        var documents = await Collection(generation).Find(Builders<UserProfileDocument>.Filter.In(d => d.Id, ids)).ToListAsync(cancellationToken);
        return documents.Select(d => d.ToProfile()).ToDictionary(p => p.UserId);
    }

    public async Task WriteBuildingAsync(int generation, IReadOnlyCollection<UserProfile> profiles, ulong position, CancellationToken cancellationToken = default)
    {
        if (profiles.Count > 0)
        {
            var writes = profiles.Select(profile => new ReplaceOneModel<UserProfileDocument>(
                Builders<UserProfileDocument>.Filter.Eq(d => d.Id, profile.UserId.ToString()) &
                Builders<UserProfileDocument>.Filter.Lt(d => d.Version, profile.Version),
                UserProfileDocument.From(profile)) { IsUpsert = true });
            try
            {
                await Collection(generation).BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, cancellationToken);
            }
            catch (MongoBulkWriteException e) when (e.WriteErrors.All(error => error.Category == ServerErrorCategory.DuplicateKey))
            {
                // The stored view is at that version or later already (a batch repeated after a crash): nothing to replace.
            }
        }
        var reached = await _pointers.UpdateOneAsync(
            ThePointer & Builders<GenerationPointerDocument>.Filter.Eq(p => p.Building, generation),
            Builders<GenerationPointerDocument>.Update.Set(p => p.Position, (long)position), cancellationToken: cancellationToken);
        if (reached.MatchedCount != 1)
        {
            throw new InvalidOperationException($"Generation {generation} is not the one being built.");
        }
    }

    public async Task SwitchAsync(int generation, CancellationToken cancellationToken = default)
    {
        var switched = await _pointers.UpdateOneAsync(
            ThePointer & Builders<GenerationPointerDocument>.Filter.Eq(p => p.Building, generation),
            Builders<GenerationPointerDocument>.Update.Set(p => p.Served, generation).Set(p => p.Building, null).Set(p => p.Position, null),
            cancellationToken: cancellationToken);
        if (switched.MatchedCount != 1)
        {
            throw new InvalidOperationException($"Generation {generation} is not the one being built.");
        }
        _profiles = Collection(generation);
        var names = await (await _database.ListCollectionNamesAsync(cancellationToken: cancellationToken)).ToListAsync(cancellationToken);
        foreach (var name in names.Where(n => IsGeneration(n) && n != GenerationNames.Of(generation)))
        {
            await _database.DropCollectionAsync(name, cancellationToken);
        }
    }

    private static bool IsGeneration(string name) =>
        name == GenerationNames.Original || (name.StartsWith(GenerationNames.Original + "_", StringComparison.Ordinal) &&
            int.TryParse(name.AsSpan(GenerationNames.Original.Length + 1), out _));
}

/// <summary>The pointer document: the served generation, the one being built and the feed position its build reached.</summary>
internal sealed class GenerationPointerDocument
{
    [BsonId]
    public string Id { get; set; } = GenerationNames.Original;

    [BsonElement("served")]
    public int Served { get; set; }

    [BsonElement("building")]
    public int? Building { get; set; }

    [BsonElement("position")]
    public long? Position { get; set; }
}
