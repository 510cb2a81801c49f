using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServiceDefaults.Auth;

/// <summary>
/// Bearer tokens on every service (ASP.NET Core's JWT bearer handler) and the scope policies. 401 and 403 carry problem
/// details through the status code pages <c>UseServiceDefaults</c> puts in front of authentication.
/// </summary>
public static class AuthRegistrations
{
    public static IServiceCollection AddAccountsAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((bearer, auth) => Configure(bearer, auth.Value));
        services.AddAuthorization(Policies.Add);
        return services;
    }

    private static void Configure(JwtBearerOptions bearer, AuthOptions auth)
    {
        bearer.MapInboundClaims = false; // keep sub and scope as the token names them
        bearer.Audience = auth.Audience;
        bearer.TokenValidationParameters.ValidAudience = auth.Audience;
        bearer.TokenValidationParameters.NameClaimType = "sub";
        bearer.TokenValidationParameters.ClockSkew = DevelopmentTokens.ClockSkew;
        if (auth.SigningKeyBytes() is not null)
        {
            bearer.TokenValidationParameters = DevelopmentTokens.ValidationParameters(auth);
        }
        else
        {
            bearer.Authority = auth.Authority;
            bearer.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        }
    }
}
