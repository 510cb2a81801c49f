using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Accounts.Messaging.Feed;

public static class FeedRegistrations
{
    /// <summary>The <c>Feed</c> options, the named HTTP client <see cref="FeedClient.Name"/> at <c>Feed:BaseUrl</c>, and <see cref="GapRepair"/>.</summary>
    public static IServiceCollection AddFeedClient(this IServiceCollection services)
    {
        services.AddOptions<FeedOptions>().BindConfiguration(FeedOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(FeedClient.Name, (sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<FeedOptions>>().Value;
            http.BaseAddress = options.BaseUrl;
            http.Timeout = options.Timeout;
        });
        services.TryAddSingleton<GapRepair>();
        return services;
    }
}
