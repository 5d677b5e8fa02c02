using StorageApi.RateLimiting;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.RateLimiting;

/// <summary>The bucket's arithmetic, on a clock moved by hand.</summary>
public sealed class TokenBucketTests
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public void It_refills_continuously_up_to_its_capacity()
    {
        var bucket = new TokenBucket(capacity: 10, perSecond: 2, _clock);
        bucket.TryTake(10, 10).Granted.ShouldBeTrue();

        _clock.Advance(TimeSpan.FromSeconds(2.5));
        bucket.Peek().ShouldBe(new BucketState(10, 5, 3));
        _clock.Advance(TimeSpan.FromHours(1));
        bucket.Peek().ShouldBe(new BucketState(10, 10, 0));
    }

    [Fact]
    public void A_refusal_takes_nothing_and_says_when_to_come_back()
    {
        var bucket = new TokenBucket(capacity: 10, perSecond: 2, _clock);
        bucket.TryTake(7, 7);

        var refused = bucket.TryTake(8, 8);

        refused.Granted.ShouldBeFalse();
        refused.RetryAfterSeconds.ShouldBe(3); // 5 more tokens at 2 a second: 2.5 s, rounded up
        bucket.Peek().Remaining.ShouldBe(3);
    }

    [Fact]
    public void Debt_is_paid_off_before_anything_is_granted()
    {
        var bucket = new TokenBucket(capacity: 10, perSecond: 1, _clock);
        bucket.Charge(25);

        bucket.Peek().ShouldBe(new BucketState(10, 0, 25));
        bucket.TryTake(1, 1).RetryAfterSeconds.ShouldBe(16);
        _clock.Advance(TimeSpan.FromSeconds(16));
        bucket.TryTake(1, 1).Granted.ShouldBeTrue();
    }

    [Fact]
    public void A_raise_is_available_at_once_and_a_cut_applies_at_once()
    {
        var bucket = new TokenBucket(capacity: 10, perSecond: 1, _clock);
        bucket.TryTake(8, 8);

        bucket.Resize(capacity: 30, perSecond: 1);
        bucket.Peek().Remaining.ShouldBe(22);
        bucket.Resize(capacity: 5, perSecond: 1);
        bucket.Peek().Remaining.ShouldBe(5);
    }

    [Fact]
    public void A_clock_set_back_refills_nothing()
    {
        var bucket = new TokenBucket(capacity: 10, perSecond: 1, _clock);
        bucket.TryTake(10, 10);

        _clock.Advance(TimeSpan.FromMinutes(-5));
        bucket.Peek().Remaining.ShouldBe(0);
    }
}

internal static class TokenBucketInspection
{
    /// <summary>What the bucket holds now: a take of nothing, which changes nothing and answers with the state.</summary>
    public static BucketState Peek(this TokenBucket bucket) => bucket.TryTake(0, 0).State;
}
