namespace StorageApi.Tests.Infrastructure;

/// <summary>The checkout the tests run from: the folder that holds StorageApi.slnx.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(System.IO.Path.Combine(root, "StorageApi.slnx"))) root = System.IO.Path.GetDirectoryName(root)!;
        return root;
    }
}
