using StorageApi.Data;

namespace StorageApi.Objects;

/// <summary>
/// Objects served recently, by id, with where their bytes are (<see cref="ObjectContent"/>), so downloading a hot
/// object costs no database read. Forgotten when the objects counter (<see cref="ChangeCounter.Objects"/>) moves, which
/// every change or deletion of an object or blob row does (<see cref="ObjectChangeStamp"/>): a patch or delete through
/// this instance holds at once, through another within <see cref="ChangeWatcher.MaxAge"/> plus a read. Expiry is
/// checked on every answer. 10,000 entries of a few hundred bytes each: a few MiB at most.
/// </summary>
public sealed class ObjectContentCache() : ChangeWatchedCache<string, ObjectContent>(ChangeCounter.Objects, capacity: 10_000);
