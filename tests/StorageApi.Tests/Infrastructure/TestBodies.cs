using System.Net;
using System.Net.Http.Headers;

namespace StorageApi.Tests.Infrastructure;

/// <summary>A body of unknown length, so HttpClient sends it chunked.</summary>
public sealed class ChunkedBody(byte[] bytes) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < bytes.Length; offset += 1000)
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(1000, bytes.Length - offset)));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

/// <summary>A chunked body that sends its first bytes, then waits for <see cref="Finish"/>: an upload held open.</summary>
public sealed class HeldOpenBody : HttpContent
{
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldOpenBody() => Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

    public void Finish() => _finish.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(new byte[1000]);
        await stream.FlushAsync();
        await _finish.Task;
        await stream.WriteAsync(new byte[1000]);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

/// <summary>A body that records whether it was ever sent: a server that refuses from the headers never sees it.</summary>
public sealed class WatchedBody(int length) : HttpContent
{
    public bool WasSent { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        WasSent = true;
        return stream.WriteAsync(new byte[length]).AsTask();
    }

    protected override bool TryComputeLength(out long computed)
    {
        computed = length;
        return true;
    }
}
