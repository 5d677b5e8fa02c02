using System.Buffers;
using System.Security.Cryptography;
using StorageApi.Errors;
using StorageApi.Search;

namespace StorageApi.Objects;

/// <summary>An upload being written to a temp file, hashed and counted as it streams. Deleted on dispose unless committed.</summary>
public sealed class StagedBlob(string path) : IAsyncDisposable
{
    private const int BufferSize = 128 * 1024;
    private bool _committed;

    public string Path { get; } = path;
    public long Size { get; private set; }
    public string Sha256 { get; private set; } = "";

    /// <summary>
    /// Copies <paramref name="source"/> to disk, refusing more than <paramref name="maxBytes"/> as soon as it is exceeded;
    /// <paramref name="text"/> sees the bytes on their way.
    /// </summary>
    public async Task WriteAsync(Stream source, long maxBytes, TextCapture text, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                Size += read;
                if (Size > maxBytes) throw new TooLargeException($"The file is larger than the limit of {maxBytes} bytes.");
                hash.AppendData(buffer, 0, read);
                text.Add(buffer.AsSpan(0, read));
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            file.Flush(flushToDisk: true); // durable before the database says the object exists
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    internal void MarkCommitted() => _committed = true;

    public ValueTask DisposeAsync()
    {
        if (!_committed) File.Delete(Path);
        return ValueTask.CompletedTask;
    }
}
