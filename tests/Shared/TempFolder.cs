namespace TestSupport;

/// <summary>
/// A fresh folder for one test, deleted when disposed. Its path stays short (<c>/tmp/&lt;prefix&gt;&lt;10 hex digits&gt;</c>):
/// ssh control sockets made below it must fit the kernel's limit on socket paths.
/// </summary>
public sealed class TempFolder(string prefix = "test-") : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..10])).FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
