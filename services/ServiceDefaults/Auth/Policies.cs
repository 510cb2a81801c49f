using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ServiceDefaults.Auth;

/// <summary>
/// The named authorization policies: one line (<c>RequireAuthorization(Policies.Admin)</c>) protects a route or a group.
/// Self-service policies accept a token whose <c>sub</c> is the account in the route's <c>{id}</c>. An endpoint that names
/// no policy falls back to <see cref="Admin"/>: whatever is not marked is for operators only.
/// </summary>
public static class Policies
{
    /// <summary>Any command on any account, registration included.</summary>
    public const string Write = "write";

    /// <summary>Any query, any account's notifications.</summary>
    public const string Read = "read";

    /// <summary>Operator endpoints: admin, feed, erasure of anyone.</summary>
    public const string Admin = "admin";

    /// <summary>Reading one account (state, history, view, notifications): <see cref="Read"/> or the account itself.</summary>
    public const string ReadAccount = "read-account";

    /// <summary>Changing one account's e-mail or name: <see cref="Write"/> or the account itself.</summary>
    public const string ChangeOwnAccount = "change-own-account";

    /// <summary>Erasing one account: <see cref="Admin"/> or the account itself.</summary>
    public const string EraseAccount = "erase-account";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Write, policy => policy.RequireAssertion(context => context.User.Has(Scopes.Write)));
        options.AddPolicy(Read, policy => policy.RequireAssertion(context => context.User.Has(Scopes.Read)));
        options.AddPolicy(Admin, policy => policy.RequireAssertion(context => context.User.Has(Scopes.Admin)));
        options.AddPolicy(ReadAccount, policy => policy.RequireAssertion(context => context.User.Has(Scopes.Read) || IsOwnAccount(context)));
        options.AddPolicy(ChangeOwnAccount, policy => policy.RequireAssertion(context => context.User.Has(Scopes.Write) || IsOwnAccount(context)));
        options.AddPolicy(EraseAccount, policy => policy.RequireAssertion(context => context.User.Has(Scopes.Admin) || IsOwnAccount(context)));
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.Has(Scopes.Admin)).Build();
    }

    private static bool IsOwnAccount(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http && context.User.IsAccount(http.GetRouteValue("id"));
}
