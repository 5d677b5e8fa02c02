namespace StorageApi.RateLimiting;

/// <summary>What a bucket holds right now, in the terms of the RateLimit-* headers.</summary>
/// <param name="Limit">The capacity: the most that can be taken at once.</param>
/// <param name="Remaining">Whole tokens left (0 while the bucket is in debt).</param>
/// <param name="ResetSeconds">Seconds until the bucket is full again.</param>
public readonly record struct BucketState(long Limit, long Remaining, long ResetSeconds);

/// <summary>The answer to a take: granted or not, the bucket afterwards, and when to try again if not.</summary>
public readonly record struct BucketAnswer(bool Granted, BucketState State, long RetryAfterSeconds);

/// <summary>
/// A token bucket that refills continuously from <see cref="TimeProvider"/>, so tests can move time by hand. It may go
/// into debt (uploads of unknown length are charged after the fact); nothing is granted until the debt is paid off.
/// </summary>
public sealed class TokenBucket(double capacity, double perSecond, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private double _capacity = capacity;
    private double _perSecond = perSecond;
    private double _tokens = capacity;
    private DateTimeOffset _updatedAt = clock.GetUtcNow();

    /// <summary>Takes <paramref name="amount"/> when at least <paramref name="needed"/> tokens are there (the rest may become debt).</summary>
    public BucketAnswer TryTake(double amount, double needed)
    {
        lock (_gate)
        {
            Refill();
            if (_tokens < needed) return new BucketAnswer(false, State(), SecondsUntil(needed));
            _tokens -= amount;
            return new BucketAnswer(true, State(), 0);
        }
    }

    /// <summary>Takes <paramref name="amount"/> whatever is left: the bucket goes into debt if need be.</summary>
    public void Charge(double amount)
    {
        lock (_gate)
        {
            Refill();
            _tokens -= amount;
        }
    }

    /// <summary>Gives back tokens that were taken but not used, up to the capacity.</summary>
    public void Refund(double amount)
    {
        lock (_gate)
        {
            Refill();
            _tokens = Math.Min(_capacity, _tokens + amount);
        }
    }

    /// <summary>
    /// New size and rate, keeping what was used: a raise is available at once (the tokens grow by it), a cut applies at
    /// once (the tokens shrink to the new capacity).
    /// </summary>
    public void Resize(double capacity, double perSecond)
    {
        lock (_gate)
        {
            Refill();
            _tokens = Math.Min(capacity, _tokens + Math.Max(0, capacity - _capacity));
            (_capacity, _perSecond) = (capacity, perSecond);
        }
    }

    private void Refill()
    {
        var now = clock.GetUtcNow();
        var elapsed = Math.Max(0, (now - _updatedAt).TotalSeconds); // a wall clock set back refills nothing
        _tokens = Math.Min(_capacity, _tokens + elapsed * _perSecond);
        _updatedAt = now;
    }

    private BucketState State() => new((long)_capacity, (long)Math.Max(0, Math.Floor(_tokens)), SecondsUntil(_capacity));

    private long SecondsUntil(double level) => _tokens >= level ? 0 : (long)Math.Ceiling((level - _tokens) / _perSecond);
}
