namespace StorageApi.ObjectStores;

/// <summary>The store cannot be reached, refuses the credentials, or has no such bucket: a 503 for a request, "not ready" for the probe.</summary>
public sealed class ObjectStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A key the caller expected is not in the store.</summary>
public sealed class ObjectKeyNotFoundException(string message) : Exception(message);
