using StorageApi.ObjectStores;

namespace StorageApi.Tests.ObjectStores;

public enum StoreKind { File, S3 }

/// <summary>A fresh, empty store of either kind for one test: a temp folder, or a new bucket on the run's s3rver.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly TempFolder? _folder;

    private TestStore(IObjectStore store, TempFolder? folder) => (Store, _folder) = (store, folder);

    public IObjectStore Store { get; }

    public static async Task<TestStore> OpenAsync(StoreKind kind)
    {
        if (kind == StoreKind.File)
        {
            var folder = new TempFolder("store-");
            return new TestStore(new FileObjectStore(ObjectStoreUrl.Parse(folder.Combine("blobs"), folder.Path)), folder);
        }
        var server = await S3Server.InstanceAsync();
        return new TestStore(TestS3.Open(server, await server.CreateBucketAsync()), null);
    }

    public void Dispose() => _folder?.Dispose();
}

internal static class TestS3
{
    public static S3Settings SettingsFor(S3Server server, string accessKeyId = S3Server.AccessKeyId) => new()
    {
        Endpoint = server.Endpoint,
        ForcePathStyle = true,
        AccessKeyId = accessKeyId,
        SecretAccessKey = S3Server.SecretAccessKey,
    };

    public static S3ObjectStore Open(S3Server server, string bucket, string prefix = "blobs", S3Settings? settings = null) =>
        new(ObjectStoreUrl.Parse($"s3://{bucket}/{prefix}", "/unused"), settings ?? SettingsFor(server));

    public static async Task<List<StoredKey>> ListAllAsync(this IObjectStore store, string prefix = "") =>
        await store.ListAsync(prefix, CancellationToken.None).ToListAsync();
}
