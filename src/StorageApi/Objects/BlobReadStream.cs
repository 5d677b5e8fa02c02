using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.ObjectStores;

namespace StorageApi.Objects;

/// <summary>
/// An object's bytes as a seekable stream of known length, for the framework's range and conditional handling: it
/// asks the store for the bytes only at the first read, from the position the framework sought to. A HEAD or a 304
/// never reaches the store; a store that fails then fails before any byte of the response is sent (a clean 503).
/// </summary>
public sealed class BlobReadStream(IObjectStore store, ObjectContent content) : Stream
{
    private Stream? _open;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => content.Size;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => content.Size + offset };
        if (target == _position) return _position;
        _open?.Dispose(); // a new position is a new request
        _open = null;
        return _position = target;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= content.Size) return 0;
        if (_open is null)
        {
            try
            {
                _open = await store.OpenReadAsync(content.Key, _position, cancellationToken);
            }
            catch (ObjectKeyNotFoundException)
            {
                throw new NotFoundException($"Object '{content.Id}'"); // deleted since it was looked up
            }
        }
        var read = await _open.ReadAsync(buffer, cancellationToken);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async ValueTask DisposeAsync()
    {
        if (_open is not null) await _open.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _open?.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
