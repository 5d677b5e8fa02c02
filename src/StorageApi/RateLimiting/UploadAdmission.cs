namespace StorageApi.RateLimiting;

/// <summary>
/// An upload let in: it holds one of the tenant's upload slots and has reserved its declared length from the tenant's
/// upload bytes. Bytes beyond the reservation (all of them when the length was not declared) are charged as they are
/// read, into debt if need be; bytes reserved but never received (an upload that failed early) are given back.
/// Disposing frees the slot.
/// </summary>
public sealed class UploadAdmission : IAsyncDisposable
{
    private readonly HttpRequest _request;
    private readonly Stream _body;
    private readonly LimitPartition _partition;
    private readonly long _reserved;
    private long _received;
    private bool _disposed;

    public UploadAdmission(HttpRequest request, LimitPartition partition, long reserved)
    {
        (_request, _body, _partition, _reserved) = (request, request.Body, partition, reserved);
        request.Body = new MeteredStream(_body, Received);
    }

    private void Received(int count)
    {
        var unreserved = Math.Max(0, _received + count - Math.Max(_received, _reserved));
        _received += count;
        if (unreserved > 0) _partition.UploadBytes.Charge(unreserved);
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        _disposed = true;
        _request.Body = _body;
        if (_reserved > _received) _partition.UploadBytes.Refund(_reserved - _received);
        _partition.Uploads.Leave();
        return ValueTask.CompletedTask;
    }
}
