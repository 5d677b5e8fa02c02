using StorageApi.Data;

namespace StorageApi.Tests.Data;

/// <summary>The rules every change-watched cache (API keys, objects) answers by, on the cache alone.</summary>
public sealed class ChangeWatchedCacheTests
{
    private sealed class Cache(int capacity = 100) : ChangeWatchedCache<string, string>("test", capacity);

    [Fact]
    public void A_cache_whose_counter_was_never_read_answers_nothing()
    {
        var cache = new Cache();
        cache.Remember("a", "1", cache.Generation);

        cache.TryGet("a", out _).ShouldBeFalse(); // no read of the counter yet: nothing could tell it of a change
    }

    [Fact]
    public void A_confirmed_cache_answers_until_its_counter_moves()
    {
        var cache = new Cache();
        cache.Confirm(7, Environment.TickCount64);
        cache.Remember("a", "1", cache.Generation);
        cache.TryGet("a", out var value).ShouldBeTrue();
        value.ShouldBe("1");

        cache.Confirm(7, Environment.TickCount64);
        cache.TryGet("a", out _).ShouldBeTrue();

        cache.Confirm(-3, Environment.TickCount64); // moved (to any other value)
        cache.TryGet("a", out _).ShouldBeFalse();
    }

    [Fact]
    public void Answers_go_stale_once_the_last_confirming_read_is_older_than_the_max_age()
    {
        var cache = new Cache();
        cache.Confirm(7, Environment.TickCount64 - (long)ChangeWatcher.MaxAge.TotalMilliseconds - 1);
        cache.Remember("a", "1", cache.Generation);

        cache.TryGet("a", out _).ShouldBeFalse();
    }

    [Fact]
    public void An_answer_read_before_a_forget_or_a_moved_counter_is_not_kept()
    {
        var cache = new Cache();
        cache.Confirm(7, Environment.TickCount64);
        var beforeForget = cache.Generation;
        cache.Forget();
        cache.Remember("a", "old", beforeForget);
        var beforeMove = cache.Generation;
        cache.Confirm(8, Environment.TickCount64);
        cache.Remember("b", "old", beforeMove);

        cache.TryGet("a", out _).ShouldBeFalse();
        cache.TryGet("b", out _).ShouldBeFalse();
    }

    [Fact]
    public void A_full_cache_starts_over_instead_of_growing()
    {
        var cache = new Cache(capacity: 2);
        cache.Confirm(7, Environment.TickCount64);
        cache.Remember("a", "1", cache.Generation);
        cache.Remember("b", "2", cache.Generation);
        cache.Remember("c", "3", cache.Generation);

        cache.TryGet("a", out _).ShouldBeFalse();
        cache.TryGet("b", out _).ShouldBeFalse();
        cache.TryGet("c", out _).ShouldBeTrue();
    }
}
