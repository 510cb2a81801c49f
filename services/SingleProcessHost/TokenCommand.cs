using ServiceDefaults.Auth;

namespace SingleProcessHost;

/// <summary>
/// <c>SingleProcessHost token [SCOPES] [SUB]</c> (what <c>make token</c> runs): prints a development token signed with the
/// configured <c>Auth:SigningKey</c> (environment <c>Auth__SigningKey</c> or <c>--Auth:SigningKey=</c>), every scope by default.
/// </summary>
internal static class TokenCommand
{
    public const string Verb = "token";

    public static int Run(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray()).Build();
        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (auth.SigningKeyBytes() is not { Length: >= AuthOptions.MinimumKeyBytes })
        {
            Console.Error.WriteLine("No development signing key: set Auth__SigningKey (make token reads data/auth/signing-key).");
            return 2;
        }
        var positional = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var scopes = positional.Length > 0 ? positional[0].Split(' ', StringSplitOptions.RemoveEmptyEntries) : Scopes.All;
        var subject = positional.Length > 1 && positional[1].Length > 0 ? positional[1] : null;
        Console.WriteLine(DevelopmentTokens.Mint(auth.SigningKey!, scopes, subject, auth.Issuer, auth.Audience));
        return 0;
    }
}
