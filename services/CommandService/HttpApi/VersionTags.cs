using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace CommandService.HttpApi;

/// <summary>
/// The entity tags of this API name an account's version (<c>"3"</c>): <c>ETag</c> out, <c>If-Match</c> in (one tag, a list
/// of them, or <c>*</c>). A weak tag (<c>W/"3"</c>) names the same version: the tag stands for the account's state, not for
/// the bytes of one response, and a proxy that compresses a response weakens its tag.
/// </summary>
public static class VersionTags
{
    public static EntityTagHeaderValue For(long version) => new($"\"{version.ToString(CultureInfo.InvariantCulture)}\"");

    public static void SetETag(this HttpResponse response, long version) => response.GetTypedHeaders().ETag = For(version);

    /// <summary>
    /// Reads If-Match: <paramref name="versions"/> are the versions it accepts, null when it sets no precondition (absent
    /// or <c>*</c>). False when it is not a list of this API's tags.
    /// </summary>
    public static bool TryReadIfMatch(HttpRequest request, out IReadOnlyCollection<long>? versions)
    {
        versions = null;
        var header = request.Headers.IfMatch;
        if (string.IsNullOrWhiteSpace(header.ToString()))
        {
            return true;
        }
        if (!EntityTagHeaderValue.TryParseStrictList(header, out var tags) || tags.Count == 0)
        {
            return false;
        }
        if (tags.Any(tag => tag.Tag == EntityTagHeaderValue.Any.Tag))
        {
            return true;
        }
        var accepted = new List<long>(tags.Count);
        foreach (var tag in tags)
        {
            var opaque = tag.Tag.Subsegment(1, tag.Tag.Length - 2); // without the quotes
            if (!long.TryParse(opaque.AsSpan(), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return false;
            }
            accepted.Add(version);
        }
        versions = accepted;
        return true;
    }
}
