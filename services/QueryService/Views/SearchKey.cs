namespace QueryService.Views;

/// <summary>
/// Case-insensitive prefix search as an ordinal range, so both adapters answer it from an ascending index without regular
/// expressions or collations: keys are lower-cased, and a prefix p matches every key k with p &lt;= k &lt; p + U+10FFFF
/// (the largest code point sorts after any continuation in UTF-8 byte order, which MongoDB and SQLite both compare by).
/// </summary>
public static class SearchKey
{
    private const string Highest = "\U0010FFFF";

    public static string Of(string text) => text.ToLowerInvariant();

    public static string UpperBoundOf(string prefixKey) => prefixKey + Highest;
}
