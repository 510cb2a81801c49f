namespace EventStore.Tests;

/// <summary>
/// What every adapter of the key store port must do (the data keys personal data is sealed with). Subjects are unique
/// per test, so one store serves the whole class.
/// </summary>
public abstract class KeyStoreConformance
{
    protected abstract IKeyStore Keys { get; }

    private static string NewSubject() => $"user-{Guid.NewGuid()}";

    [Fact]
    public async Task A_subject_without_a_key_is_missing()
    {
        Assert.Equal(DataKey.Missing, await Keys.FindAsync(NewSubject()));
    }

    [Fact]
    public async Task The_first_use_makes_a_256_bit_key_and_every_later_use_returns_the_same()
    {
        var subject = NewSubject();
        var made = await Keys.GetOrCreateAsync(subject);
        Assert.Equal(DataKeyStatus.Live, made.Status);
        Assert.Equal(DataKey.Size, made.Bytes!.Length);
        Assert.Equal(made.Bytes, (await Keys.GetOrCreateAsync(subject)).Bytes);
        Assert.Equal(made.Bytes, (await Keys.FindAsync(subject)).Bytes);
    }

    [Fact]
    public async Task Concurrent_first_uses_agree_on_one_key()
    {
        var subject = NewSubject();
        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Keys.GetOrCreateAsync(subject))));
        Assert.Single(keys.Select(k => Convert.ToBase64String(k.Bytes!)).Distinct());
    }

    [Fact]
    public async Task Each_subject_has_its_own_key()
    {
        var one = await Keys.GetOrCreateAsync(NewSubject());
        var other = await Keys.GetOrCreateAsync(NewSubject());
        Assert.NotEqual(one.Bytes, other.Bytes);
    }

    [Fact]
    public async Task A_destroyed_key_is_gone_for_good_and_never_made_again()
    {
        var subject = NewSubject();
        var other = NewSubject();
        var kept = await Keys.GetOrCreateAsync(other);
        await Keys.GetOrCreateAsync(subject);

        await Keys.DestroyAsync(subject);

        Assert.Equal(DataKey.Destroyed, await Keys.FindAsync(subject));
        Assert.Equal(DataKey.Destroyed, await Keys.GetOrCreateAsync(subject));
        Assert.Equal(kept.Bytes, (await Keys.FindAsync(other)).Bytes);
    }

    [Fact]
    public async Task Destroying_is_idempotent_and_marks_a_subject_that_never_had_a_key()
    {
        var subject = NewSubject();
        await Keys.DestroyAsync(subject);
        await Keys.DestroyAsync(subject);
        Assert.Equal(DataKey.Destroyed, await Keys.GetOrCreateAsync(subject));
    }
}
