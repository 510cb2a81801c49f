using System.ComponentModel.DataAnnotations;

namespace QueryService;

/// <summary>Settings of section <c>Query</c>.</summary>
public sealed class QueryOptions
{
    public const string SectionName = "Query";

    /// <summary>The embedded view store's file, used when no connection string named <c>mongodb</c> is given.</summary>
    [Required]
    public string SqlitePath { get; set; } = Path.Combine("data", "query", "views.db");

    /// <summary>The MongoDB database when the connection string names none.</summary>
    [Required]
    public string MongoDatabase { get; set; } = "accounts-query";

    /// <summary>How long <c>GET /users/{id}?minVersion=N</c> waits for the view to reach version N.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ReadYourWritesTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a waiting read looks at the store anyway, for views written by another instance.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ReadYourWritesPoll { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Feed messages a rebuild asks for per page (and writes per transaction); the feed serves at most 5,000. Pages of
    /// 5,000 took the query service's peak RSS 15 MB higher (its per-page sets and dictionaries land on the large object
    /// heap) at the same rebuild rate.
    /// </summary>
    [Range(1, 5000)]
    public int RebuildPageSize { get; set; } = 2000;
}
