using Accounts.Messaging.Feed;
using Accounts.Testing;

namespace QueryService.Tests;

/// <summary>How a consumer keeps each account's messages in order while it handles several batches at once.</summary>
public sealed class ArrivalOrderTests
{
    [Fact]
    public async Task An_accounts_applies_run_in_hand_over_order_across_batches_while_other_accounts_run_at_once()
    {
        var order = new ArrivalOrder(maxApplying: 16);
        var (ada, grace) = (Guid.NewGuid(), Guid.NewGuid());
        var adaFirst = new TaskCompletionSource();
        var ran = new List<string>();
        Func<Task> Record(string name, Task? until = null) => async () =>
        {
            lock (ran) ran.Add(name);
            if (until is not null)
                await until;
        };

        var first = order.RunAsync([(ada, Record("ada 1", adaFirst.Task)), (grace, Record("grace 1"))]);
        var second = order.RunAsync([(ada, Record("ada 2")), (grace, Record("grace 2"))]);
        await Eventually.UntilAsync("grace's two applies while ada's first is held", () => { lock (ran) return ran.Contains("grace 2"); });

        lock (ran) Assert.DoesNotContain("ada 2", ran);
        adaFirst.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(["ada 1", "ada 2"], ran.Where(name => name.StartsWith("ada", StringComparison.Ordinal)));
        Assert.Equal(["grace 1", "grace 2"], ran.Where(name => name.StartsWith("grace", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failed_apply_fails_its_batch_and_the_accounts_next_apply_still_runs()
    {
        var order = new ArrivalOrder(maxApplying: 16);
        var ada = Guid.NewGuid();
        var nextRan = false;

        var failed = order.RunAsync([(ada, () => Task.FromException(new InvalidOperationException("gap")))]);
        var next = order.RunAsync([(ada, () => { nextRan = true; return Task.CompletedTask; })]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        await next;
        Assert.True(nextRan);
    }

    [Fact]
    public async Task No_more_applies_run_at_once_than_the_bound_however_many_batches_wait()
    {
        var order = new ArrivalOrder(maxApplying: 2);
        var (running, most) = (0, 0);
        var release = new TaskCompletionSource();
        Func<Task> Apply() => async () =>
        {
            lock (order) most = Math.Max(most, ++running);
            await release.Task;
            lock (order) running--;
        };

        var batches = Enumerable.Range(0, 3).Select(_ => order.RunAsync([(Guid.NewGuid(), Apply()), (Guid.NewGuid(), Apply())])).ToList();
        await Eventually.UntilAsync("two applies running", () => { lock (order) return running == 2; });
        release.SetResult();
        await Task.WhenAll(batches);

        Assert.Equal(2, most);
    }
}
