using StorageApi.Data;

namespace StorageApi.Tenancy;

/// <summary>
/// The tenants of active API keys seen recently, by the key's SHA-256, so a request with a known key costs no database
/// read. Forgotten when the access counter (<see cref="ChangeCounter.Access"/>) moves: a key revoked through this
/// instance is refused at once, one revoked through another within <see cref="ChangeWatcher.MaxAge"/> plus a read.
/// Unknown keys are never remembered: a key created elsewhere works at once.
/// </summary>
public sealed class ApiKeyCache() : ChangeWatchedCache<string, string>(ChangeCounter.Access, capacity: 100_000);
