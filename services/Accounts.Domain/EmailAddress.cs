namespace Accounts.Domain;

/// <summary>Syntax check and normalisation of e-mail addresses: trimmed, lower-cased, dot-atom local part, DNS domain.</summary>
public static class EmailAddress
{
    public const int MaxLength = 254;
    private const string LocalSpecials = "!#$%&'*+-/=?^_`{|}~.";

    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = (input ?? "").Trim().ToLowerInvariant();
        var at = normalized.LastIndexOf('@');
        var valid = normalized.Length <= MaxLength
            && at > 0
            && IsLocalPart(normalized.AsSpan(0, at))
            && IsDomain(normalized.AsSpan(at + 1));
        if (!valid)
        {
            normalized = "";
        }
        return valid;
    }

    private static bool IsLocalPart(ReadOnlySpan<char> local) =>
        local.Length <= 64
        && local[0] != '.' && local[^1] != '.'
        && !local.Contains("..", StringComparison.Ordinal)
        && !local.ContainsAnyExcept(LocalChars);

    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        if (domain.Length is 0 or > 253)
        {
            return false;
        }
        var labels = 0;
        foreach (var range in domain.Split('.'))
        {
            var label = domain[range];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || label.ContainsAnyExcept(DomainChars))
            {
                return false;
            }
            labels++;
        }
        var tld = domain[(domain.LastIndexOf('.') + 1)..];
        return labels >= 2 && !tld.ContainsAnyExcept(Letters);
    }

    private static readonly System.Buffers.SearchValues<char> Letters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz");
    private static readonly System.Buffers.SearchValues<char> DomainChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");
    private static readonly System.Buffers.SearchValues<char> LocalChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789" + LocalSpecials);
}
