using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Accounts.Operations.Rebuild;

/// <summary>The query service's <c>GET /admin/rebuild</c> answer (eta in seconds).</summary>
public sealed record RebuildProgress(
    string State, ulong? Position, ulong? Head, double EventsPerSecond, double? Eta, long Events = 0, string? Error = null)
{
    [JsonIgnore]
    public bool Finished => State is "done" or "failed";
}

/// <summary>
/// Asks the query service to rebuild its views (<c>POST /admin/rebuild</c>; a rebuild already running is followed instead)
/// and follows <c>GET /admin/rebuild</c> until it is done or failed, reporting each answer.
/// </summary>
public sealed class RebuildFollower(HttpClient http, Uri query, TimeSpan interval)
{
    /// <summary>Starts the rebuild; false when one was running already (it is followed all the same).</summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri(query, "admin/rebuild"), null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"POST /admin/rebuild answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}", null, response.StatusCode);
        }
        return true;
    }

    /// <summary>Reads the progress every <c>interval</c> until the rebuild is done or failed; the last answer.</summary>
    public async Task<RebuildProgress> FollowAsync(Action<RebuildProgress> report, CancellationToken cancellationToken)
    {
        while (true)
        {
            var progress = await http.GetFromJsonAsync<RebuildProgress>(new Uri(query, "admin/rebuild"), cancellationToken)
                ?? throw new HttpRequestException("GET /admin/rebuild answered nothing.");
            report(progress);
            if (progress.Finished)
            {
                return progress;
            }
            await Task.Delay(interval, cancellationToken);
        }
    }
}
