using StorageApi.ObjectStores;
using StorageApi.Search;

namespace StorageApi.Objects;

/// <summary>
/// An upload's bytes, streamed into the blob store under a key of their own while they are hashed, counted and
/// size-checked. Until <see cref="Keep"/> says a row refers to them, disposing removes them again.
/// </summary>
public sealed class StagedBlob(IObjectStore store, string key) : IAsyncDisposable
{
    private bool _kept;
    private bool _written;

    public IObjectStore Store => store;
    public string Key => key;
    public long Size { get; private set; }
    public string Sha256 { get; private set; } = "";

    /// <summary>
    /// Copies <paramref name="source"/> into the store, refusing more than <paramref name="maxBytes"/> as soon as it is
    /// exceeded; <paramref name="text"/> sees the bytes on their way. Durable once this returns.
    /// </summary>
    public async Task WriteAsync(Stream source, long maxBytes, TextCapture text, CancellationToken cancellationToken)
    {
        var hashing = new HashingReadStream(source, maxBytes, text);
        await store.PutAsync(key, hashing, cancellationToken);
        _written = true;
        Size = hashing.BytesRead;
        Sha256 = hashing.Sha256();
    }

    /// <summary>A row now refers to these bytes: they stay.</summary>
    public void Keep() => _kept = true;

    public async ValueTask DisposeAsync()
    {
        if (_kept || !_written) return; // a failed write leaves nothing behind by itself
        await store.DeleteUnreferencedAsync(key);
    }
}
