namespace TestSupport;

/// <summary>The checkout the tests run from: the folder that holds StorageApi.slnx, found from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(System.IO.Path.Combine(folder, "StorageApi.slnx")))
            folder = System.IO.Path.GetDirectoryName(folder) ?? throw new InvalidOperationException($"no StorageApi.slnx above {AppContext.BaseDirectory}");
        return folder;
    }
}
