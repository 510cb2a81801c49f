using Accounts.Contracts;
using Accounts.Messaging.Feed;
using Accounts.Testing;
using Microsoft.Extensions.Time.Testing;

namespace QueryService.Tests;

/// <summary>How a consumer keeps each account's messages in order while it handles several batches at once.</summary>
public sealed class ArrivalOrderTests
{
    [Fact]
    public async Task An_accounts_applies_run_in_hand_over_order_across_batches_while_other_accounts_run_at_once()
    {
        var order = new ArrivalOrder(maxApplying: 16, TimeProvider.System);
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
        var order = new ArrivalOrder(maxApplying: 16, TimeProvider.System);
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
        var order = new ArrivalOrder(maxApplying: 2, TimeProvider.System);
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

    [Fact]
    public async Task An_apply_that_finds_a_gap_goes_behind_the_batch_handed_over_just_after_it_and_succeeds_there()
    {
        var order = new ArrivalOrder(maxApplying: 16, new FakeTimeProvider()); // the clock stands still: no wait runs out
        var account = new VersionedAccount();

        var second = order.RunAsync([(account.Id, () => account.ApplyAsync(2))]); // overtook the batch with version 1
        await Eventually.UntilAsync("version 2 tried once", () => Task.FromResult(account.Attempts == 1));
        var first = order.RunAsync([(account.Id, () => account.ApplyAsync(1))]);
        await Task.WhenAll(first, second);

        Assert.Equal([1, 2], account.Applied);
    }

    [Fact]
    public async Task A_gap_nothing_handed_over_fills_within_the_wait_fails_its_batch()
    {
        var clock = new FakeTimeProvider();
        var order = new ArrivalOrder(maxApplying: 16, clock);
        var account = new VersionedAccount();

        var batch = order.RunAsync([(account.Id, () => account.ApplyAsync(3))]);
        await Eventually.UntilAsync("the batch failed once the wait ran out", () =>
        {
            clock.Advance(ArrivalOrder.GapWait);
            return Task.FromResult(batch.IsCompleted);
        });

        await Assert.ThrowsAsync<MessageOutOfOrderException>(() => batch);
        Assert.Equal(1, account.Attempts);
        Assert.Empty(account.Applied);
    }

    [Fact]
    public async Task An_apply_goes_behind_later_hand_overs_only_once_then_its_batch_fails()
    {
        var order = new ArrivalOrder(maxApplying: 16, new FakeTimeProvider());
        var account = new VersionedAccount();

        var third = order.RunAsync([(account.Id, () => account.ApplyAsync(3))]);
        await Eventually.UntilAsync("version 3 tried once", () => Task.FromResult(account.Attempts == 1));
        var first = order.RunAsync([(account.Id, () => account.ApplyAsync(1))]); // version 2 never comes

        await first;
        await Assert.ThrowsAsync<MessageOutOfOrderException>(() => third);
        Assert.Equal([1], account.Applied);
        Assert.Equal(3, account.Attempts); // 3, 1, 3 again
    }

    /// <summary>An account's store behind a version gate: a version applies only right after the one before it.</summary>
    private sealed class VersionedAccount
    {
        private long _stored;

        public Guid Id { get; } = Guid.NewGuid();
        public List<long> Applied { get; } = [];
        public int Attempts { get; private set; }

        public Task ApplyAsync(long version)
        {
            lock (Applied)
            {
                Attempts++;
                if (version != _stored + 1)
                    return Task.FromException(new MessageOutOfOrderException(new UserRenamed(Id, version, DateTimeOffset.UnixEpoch, "Ada"), _stored));
                _stored = version;
                Applied.Add(version);
                return Task.CompletedTask;
            }
        }
    }
}
