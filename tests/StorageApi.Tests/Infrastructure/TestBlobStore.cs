namespace StorageApi.Tests.Infrastructure;

/// <summary>
/// Which blob store the service tests run on. tests/StorageApi.Tests keeps bytes in the data folder (file:);
/// tests/StorageApi.S3.Tests compiles the blob-store tests with S3 defined, so each service stores its bytes in a bucket
/// of its own on a real S3-protocol server (s3rver) on 127.0.0.1.
/// </summary>
public static class TestBlobStore
{
#if S3
    public static bool IsS3 => true;
#else
    public static bool IsS3 => false;
#endif

    /// <summary>
    /// The variables that point the service rooted at <paramref name="root"/> at its bucket: made on first use and
    /// remembered in the folder, so a service restarted on the same root finds its bytes again. Empty on file:.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> VariablesForAsync(string root)
    {
        if (!IsS3) return new Dictionary<string, string>();
        var server = await S3Server.InstanceAsync();
        var remembered = Path.Combine(root, "s3-bucket");
        if (!File.Exists(remembered)) await File.WriteAllTextAsync(remembered, await server.CreateBucketAsync());
        return server.VariablesFor(await File.ReadAllTextAsync(remembered));
    }
}
