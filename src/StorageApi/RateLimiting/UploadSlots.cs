namespace StorageApi.RateLimiting;

/// <summary>Uploads in progress for one tenant. The limit is passed on each entry, so a change applies to the next upload.</summary>
public sealed class UploadSlots
{
    private readonly Lock _gate = new();
    private int _inUse;

    /// <summary>Takes a slot, or returns false at once when <paramref name="limit"/> are in use: over-limit uploads never queue.</summary>
    public bool TryEnter(int limit)
    {
        lock (_gate)
        {
            if (_inUse >= limit) return false;
            _inUse++;
            return true;
        }
    }

    public void Leave()
    {
        lock (_gate) _inUse--;
    }
}
