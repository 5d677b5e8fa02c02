namespace StorageApi.ObjectStores;

/// <summary>
/// A place that keeps bytes under keys: a folder on this machine or a bucket (with a key prefix) of an S3-compatible
/// store. The blob store keeps tenants' bytes in one; backups are written to another. Keys are relative
/// ('acme/3f/3f2a…'), made of [A-Za-z0-9._-] segments joined by '/'; a store never interprets them.
/// </summary>
public interface IObjectStore
{
    /// <summary>Where the bytes are, without credentials: what the database records and what messages show.</summary>
    ObjectStoreUrl Url { get; }

    /// <summary>
    /// Streams <paramref name="source"/> to <paramref name="key"/> (replacing what is there) and returns the number of
    /// bytes written. Nothing becomes visible under the key before the whole stream was stored; when reading the source
    /// or the store fails, nothing is left behind (a partial file is removed, a multipart upload aborted) and the
    /// source's own exception, or <see cref="ObjectStoreUnavailableException"/> for the store's, propagates.
    /// </summary>
    Task<long> PutAsync(string key, Stream source, CancellationToken cancellationToken);

    /// <summary>The bytes under <paramref name="key"/> from <paramref name="offset"/> to the end. Missing: <see cref="ObjectKeyNotFoundException"/>.</summary>
    Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken);

    /// <summary>Every complete object whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<StoredKey> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Removes the key; a key that is not there is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes writes that never completed (partial files, multipart uploads) started before <paramref name="olderThanUtc"/>; returns how many.</summary>
    Task<int> DeleteIncompleteAsync(DateTime olderThanUtc, CancellationToken cancellationToken);

    /// <summary>Reaches the store and proves the credentials can list and write; throws <see cref="ObjectStoreUnavailableException"/> saying why not.</summary>
    Task CheckAsync(CancellationToken cancellationToken);
}

/// <summary>One complete object of a store.</summary>
public sealed record StoredKey(string Key, long Size, DateTime LastModifiedUtc);
