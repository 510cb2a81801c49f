using System.Diagnostics;

namespace Accounts.Testing;

/// <summary>
/// The one way a test waits for something that happens elsewhere (another process, a broker, a background loop):
/// it asks again and again until the answer is what it waits for, or the deadline passes. The failure names what was
/// awaited and the last answer seen, so a time-out reads as a finding, not as "a task was cancelled".
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(200);

    /// <summary>Asks <paramref name="probe"/> until <paramref name="done"/> holds for its answer, and returns that answer.</summary>
    /// <param name="what">What is awaited, in words: it is the failure's message.</param>
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T>> probe, Func<T, bool> done, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var elapsed = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var answer = await probe();
            if (done(answer))
            {
                return answer;
            }
            if (elapsed.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; the last answer was: {Describe(answer)}");
            }
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }

    /// <summary>Asks <paramref name="condition"/> until it is true.</summary>
    public static Task UntilAsync(string what, Func<Task<bool>> condition, TimeSpan? deadline = null) =>
        UntilAsync(what, condition, holds => holds, deadline);

    /// <summary>Checks <paramref name="condition"/> until it is true.</summary>
    public static Task UntilAsync(string what, Func<bool> condition, TimeSpan? deadline = null) =>
        UntilAsync(what, () => Task.FromResult(condition()), holds => holds, deadline);

    static string Describe<T>(T answer) => answer switch
    {
        null => "nothing",
        System.Collections.ICollection collection => $"{collection.Count} item(s)",
        _ => answer.ToString() ?? "nothing",
    };
}
