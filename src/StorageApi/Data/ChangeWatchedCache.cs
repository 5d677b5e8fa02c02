using System.Collections.Concurrent;

namespace StorageApi.Data;

/// <summary>What <see cref="ChangeWatcher"/> tells a cache: its counter's value, or that this instance changed it.</summary>
public interface IChangeWatchedCache
{
    string CounterName { get; }
    void Confirm(long counter, long readStartedAt);
    void Forget();
}

/// <summary>
/// Answers kept in memory while a database counter (<see cref="ChangeCounter"/>) says nothing they depend on changed.
/// An answer is only given while the counter was read less than <see cref="ChangeWatcher.MaxAge"/> ago; when the
/// counter moved, everything is forgotten. So a change made through this instance is seen at once (its commit calls
/// <see cref="Forget"/>), one made through another instance on the same database within <see cref="ChangeWatcher.MaxAge"/>
/// plus a read. Only what was found is kept: something created elsewhere is found at once. At most
/// <paramref name="capacity"/> answers are kept; the next one past it starts over from none, which costs reads, never correctness.
/// </summary>
public abstract class ChangeWatchedCache<TKey, TValue>(string counterName, int capacity) : IChangeWatchedCache where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _answers = new();
    private readonly Lock _gate = new();
    private long _generation; // moves whenever the answers are forgotten; an answer read from the database before a move is not kept
    private long? _counter;
    private long _confirmedAt = long.MinValue; // Environment.TickCount64 when the read that confirmed _counter started

    public string CounterName => counterName;

    /// <summary>Taken before an answer is read from the database, and handed to <see cref="Remember"/> with it.</summary>
    public long Generation => Volatile.Read(ref _generation);

    // Written as a sum, not a difference: long.MinValue (never confirmed) minus anything would overflow into "fresh".
    private bool Fresh => Environment.TickCount64 < Volatile.Read(ref _confirmedAt) + (long)ChangeWatcher.MaxAge.TotalMilliseconds;

    public bool TryGet(TKey key, out TValue value)
    {
        value = default!;
        return Fresh && _answers.TryGetValue(key, out value!);
    }

    /// <summary>Keeps an answer, unless the answers were forgotten since <paramref name="generation"/> was taken.</summary>
    public void Remember(TKey key, TValue value, long generation)
    {
        lock (_gate)
        {
            if (_generation != generation || !Fresh) return;
            if (_answers.Count >= capacity) _answers.Clear();
            _answers[key] = value;
        }
    }

    /// <summary>Forgets every answer: called once a change made through this instance has committed.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _generation++;
            _answers.Clear();
        }
    }

    /// <summary>
    /// The counter as read by a read that started at <paramref name="readStartedAt"/> (Environment.TickCount64): a new
    /// value forgets every answer; any value keeps the answers usable until <see cref="ChangeWatcher.MaxAge"/> after that start.
    /// </summary>
    public void Confirm(long counter, long readStartedAt)
    {
        lock (_gate)
        {
            if (_counter != counter)
            {
                _generation++;
                _answers.Clear();
                _counter = counter;
            }
            if (readStartedAt > _confirmedAt) Volatile.Write(ref _confirmedAt, readStartedAt);
        }
    }
}
