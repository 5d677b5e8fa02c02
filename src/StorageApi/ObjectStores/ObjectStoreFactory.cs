using System.Collections.Concurrent;
using StorageApi.Configuration;

namespace StorageApi.ObjectStores;

/// <summary>Opens the store an address names, once per address: the configured blob store, one a blob row recorded, a backup target.</summary>
public sealed class ObjectStoreFactory(StorageSettings settings, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<string, IObjectStore> _open = new(StringComparer.Ordinal);

    /// <summary>Where new uploads go (BLOB_STORE_URL).</summary>
    public IObjectStore Blobs => Open(settings.BlobStoreUrl);

    public IObjectStore Open(ObjectStoreUrl url) =>
        _open.GetOrAdd(url.Text, _ => url.IsS3 ? new S3ObjectStore(url, settings.S3, loggers.CreateLogger<S3ObjectStore>()) : new FileObjectStore(url));

    /// <summary>The store a database row recorded (its <see cref="ObjectStoreUrl.Text"/>).</summary>
    public IObjectStore Open(string recorded) =>
        _open.TryGetValue(recorded, out var open) ? open : Open(ObjectStoreUrl.Parse(recorded, settings.BlobDirectory));
}
