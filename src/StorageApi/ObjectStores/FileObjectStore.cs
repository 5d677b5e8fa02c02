using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace StorageApi.ObjectStores;

/// <summary>
/// Keys as files under a folder. A write goes to <c>.staging/</c> in the same folder (so on the same file system),
/// is flushed to disk, then renamed into place and its folder flushed: a reader never sees half a file, a crash leaves
/// only a staging file, and a write that returned survives a crash.
/// </summary>
public sealed class FileObjectStore(ObjectStoreUrl url) : IObjectStore
{
    public const string StagingFolderName = ".staging";
    // Small enough that the bytes just received and hashed are still in the CPU cache when they are written (1 MiB
    // buffers made the copy into the page cache 2-3x slower), large enough for few writes (16k per 2 GiB).
    private const int BufferSize = 128 * 1024;
    private const long WritebackStep = 8 * 1024 * 1024;

    private readonly string _root = url.Folder ?? throw new ArgumentException($"{url} is not a folder", nameof(url));

    public ObjectStoreUrl Url => url;

    public string StagingFolder => Path.Combine(_root, StagingFolderName);

    public async Task<long> PutAsync(string key, Stream source, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var staging = Path.Combine(StagingFolder, $"{Guid.NewGuid():N}.part");
        var (reading, writing) = (ArrayPool<byte>.Shared.Rent(BufferSize), ArrayPool<byte>.Shared.Rent(BufferSize));
        var written = Task.CompletedTask;
        long length = 0;
        try
        {
            // The source's failures (a client gone, a size limit) pass as they are; the disk's become "unavailable".
            using (var file = Disk(() => OpenStaging(staging)))
            {
                try
                {
                    int read;
                    // Whole buffers (a request body arrives a few KiB at a time, and a write per piece costs more than the
                    // disk), two of them: while one is written, the next is read and hashed.
                    while ((read = await source.ReadAtLeastAsync(reading.AsMemory(0, BufferSize), BufferSize, throwOnEndOfStream: false, cancellationToken)) > 0)
                    {
                        await written;
                        written = WriteAsync(file, reading.AsMemory(0, read), length, cancellationToken);
                        length += read;
                        (reading, writing) = (writing, reading);
                    }
                    await written;
                }
                finally
                {
                    await written.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // never close the file under a write
                }
                Disk(() => { RandomAccess.FlushToDisk(file); return 0; }); // durable before the database says the bytes exist
            }
            Disk(() => { MoveDurably(staging, target); return 0; });
            return length;
        }
        catch
        {
            File.Delete(staging);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(reading);
            ArrayPool<byte>.Shared.Return(writing);
        }
    }

    /// <summary>Writes one buffer at its offset; each time a whole <see cref="WritebackStep"/> is written, the disk is told to start on it.</summary>
    private async Task WriteAsync(SafeFileHandle file, ReadOnlyMemory<byte> bytes, long offset, CancellationToken cancellationToken)
    {
        await DiskAsync(() => RandomAccess.WriteAsync(file, bytes, offset, cancellationToken));
        var steps = (offset + bytes.Length) / WritebackStep;
        if (steps > offset / WritebackStep) DiskSync.StartWriteback(file, (steps - 1) * WritebackStep, WritebackStep);
    }

    /// <summary>
    /// Renames the flushed staging file into place and flushes the folders whose entries changed (the target's, and the
    /// parent of each folder created for it), so the file is still there under its key after a crash.
    /// </summary>
    private static void MoveDurably(string staging, string target)
    {
        var folder = Path.GetDirectoryName(target)!;
        var created = new List<string>();
        for (var missing = folder; !Directory.Exists(missing); missing = Path.GetDirectoryName(missing)!) created.Add(missing);
        Directory.CreateDirectory(folder);
        File.Move(staging, target, overwrite: true);
        DiskSync.FlushDirectory(folder);
        foreach (var made in created) DiskSync.FlushDirectory(Path.GetDirectoryName(made)!);
    }

    private SafeFileHandle OpenStaging(string path)
    {
        Directory.CreateDirectory(StagingFolder);
        return File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous);
    }

    private T Disk<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ObjectStoreUnavailableException($"{_root}: {e.Message}", e);
        }
    }

    private async Task DiskAsync(Func<ValueTask> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ObjectStoreUnavailableException($"{_root}: {e.Message}", e);
        }
    }

    public Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.Asynchronous);
            stream.Seek(offset, SeekOrigin.Begin);
            return Task.FromResult<Stream>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ObjectKeyNotFoundException($"{key} is not in {url}");
        }
    }

    public async IAsyncEnumerable<StoredKey> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_root)) yield break;
        // Only the folders the prefix can reach are walked; keys use '/' like the file system does.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash]);
        if (!Directory.Exists(start)) yield break;
        var keys = new DirectoryInfo(start).EnumerateFiles("*", SearchOption.AllDirectories)
            .Select(file => (file, key: Path.GetRelativePath(_root, file.FullName).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(e => e.key.StartsWith(prefix, StringComparison.Ordinal) && !e.key.StartsWith(StagingFolderName + "/", StringComparison.Ordinal))
            .OrderBy(e => e.key, StringComparer.Ordinal);
        foreach (var (file, key) in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new StoredKey(key, file.Length, file.LastWriteTimeUtc);
        }
        await Task.CompletedTask;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try { Disk(() => { File.Delete(path); return 0; }); }
        catch (ObjectStoreUnavailableException e) when (e.InnerException is DirectoryNotFoundException) { } // its folder is gone too: the key is not there, which is fine
        return Task.CompletedTask;
    }

    public Task<int> DeleteIncompleteAsync(DateTime olderThanUtc, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(StagingFolder)) return Task.FromResult(0);
        var removed = 0;
        foreach (var file in new DirectoryInfo(StagingFolder).EnumerateFiles("*.part"))
        {
            if (file.LastWriteTimeUtc >= olderThanUtc) continue;
            file.Delete();
            removed++;
        }
        return Task.FromResult(removed);
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(StagingFolder, $"probe-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(StagingFolder);
            await File.WriteAllTextAsync(probe, "ok", cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ObjectStoreUnavailableException($"{_root} is not writable: {e.Message}", e);
        }
        finally
        {
            try { File.Delete(probe); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The file that holds <paramref name="key"/>'s bytes, for serving it straight from the file system.</summary>
    public string PathOf(string key)
    {
        ObjectKeys.Validate(key);
        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
