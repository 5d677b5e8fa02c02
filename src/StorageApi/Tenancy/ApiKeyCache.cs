using System.Collections.Concurrent;
using StorageApi.Data;

namespace StorageApi.Tenancy;

/// <summary>
/// The tenants of API keys seen recently, by the key's SHA-256, so a request with a known key costs no database read.
/// An answer from here is only given while the database's access counter (<see cref="ChangeCounter.Access"/>) was read
/// less than <see cref="MaxAge"/> ago (<see cref="AccessChangeWatcher"/> reads it every <see cref="PollInterval"/>);
/// when the counter moved, everything is forgotten. So a key revoked through this instance is refused at once (the
/// revocation empties the cache itself), and one revoked through another instance on the same database within
/// <see cref="MaxAge"/> plus a read. Unknown keys are never remembered: a key created elsewhere works at once.
/// </summary>
public sealed class ApiKeyCache
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(750);

    private readonly ConcurrentDictionary<string, string> _tenantsByHash = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _generation; // moves whenever the entries are forgotten; an answer read from the database before a move is not kept
    private long? _counter;
    private long _confirmedAt = long.MinValue; // Environment.TickCount64 when the read that confirmed _counter started

    /// <summary>Taken before a key is looked up in the database, and handed to <see cref="Remember"/> with its answer.</summary>
    public long Generation => Volatile.Read(ref _generation);

    private bool Fresh => Environment.TickCount64 - Volatile.Read(ref _confirmedAt) < (long)MaxAge.TotalMilliseconds;

    public bool TryGet(string keyHash, out string tenantId)
    {
        tenantId = "";
        return Fresh && _tenantsByHash.TryGetValue(keyHash, out tenantId!);
    }

    /// <summary>Keeps an active key's tenant, unless the entries were forgotten since <paramref name="generation"/> was taken.</summary>
    public void Remember(string keyHash, string tenantId, long generation)
    {
        lock (_gate)
        {
            if (_generation == generation && Fresh) _tenantsByHash[keyHash] = tenantId;
        }
    }

    /// <summary>Forgets every key: called once a change to who may use the service has committed.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _generation++;
            _tenantsByHash.Clear();
        }
    }

    /// <summary>
    /// The access counter as read by a read that started at <paramref name="readStartedAt"/> (Environment.TickCount64):
    /// a new value forgets every key; any value keeps the entries usable until <see cref="MaxAge"/> after that start.
    /// </summary>
    public void Confirm(long counter, long readStartedAt)
    {
        lock (_gate)
        {
            if (_counter != counter)
            {
                _generation++;
                _tenantsByHash.Clear();
                _counter = counter;
            }
            if (readStartedAt > _confirmedAt) Volatile.Write(ref _confirmedAt, readStartedAt);
        }
    }
}
