namespace EndToEnd.Tests.Infrastructure;

/// <summary>A folder for one test, removed afterwards; short, because ssh control sockets need short paths.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "e2e-" + Guid.NewGuid().ToString("N")[..10]));

    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
