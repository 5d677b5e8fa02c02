namespace StorageApi.ObjectStores;

/// <summary>Keys as objects of an S3-compatible bucket under the URL's prefix (AWSSDK.S3).</summary>
public sealed class S3ObjectStore(ObjectStoreUrl url, S3Settings settings) : IObjectStore
{
    public ObjectStoreUrl Url => url;
    public S3Settings Settings => settings;
    public Task<long> PutAsync(string key, Stream source, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken) => throw new NotImplementedException();
    public IAsyncEnumerable<StoredKey> ListAsync(string prefix, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task DeleteAsync(string key, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<int> DeleteIncompleteAsync(DateTime olderThanUtc, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task CheckAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
}
