using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace StorageApi.Objects;

/// <summary>
/// Serves a file result with large reads. Kestrel has no zero-copy sendfile: its <c>SendFileAsync</c> copies the file
/// through 16 KiB reads, each a hop to the thread pool. Here the file is read in chunks of up to <see cref="ChunkSize"/>
/// straight into the response pipe's writes (a read from the page cache costs less than the hop that would wait for it),
/// while the framework keeps deciding the status, headers, ranges and conditions exactly as for any file result.
/// </summary>
public static class FileSending
{
    public const int ChunkSize = 1024 * 1024;

    public static async Task SendAsync(HttpContext context, IResult fileResult)
    {
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(new LargeReads(original));
        try
        {
            await fileResult.ExecuteAsync(context);
        }
        finally
        {
            context.Features.Set(original);
        }
    }

    private sealed class LargeReads(IHttpResponseBodyFeature inner) : IHttpResponseBodyFeature
    {
        public Stream Stream => inner.Stream;
        public PipeWriter Writer => inner.Writer;
        public void DisableBuffering() => inner.DisableBuffering();
        public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);
        public Task CompleteAsync() => inner.CompleteAsync();

        public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var remaining = count ?? RandomAccess.GetLength(file) - offset;
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(remaining, 1, ChunkSize));
            try
            {
                while (remaining > 0)
                {
                    var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, remaining)), offset);
                    if (read == 0) throw new IOException($"{path} ended {remaining} bytes early");
                    var flushed = await inner.Writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    if (flushed.IsCanceled || flushed.IsCompleted) return; // the client is gone
                    offset += read;
                    remaining -= read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
