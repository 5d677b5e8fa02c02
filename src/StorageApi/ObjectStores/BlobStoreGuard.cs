using StorageApi.Data;

namespace StorageApi.ObjectStores;

/// <summary>
/// Checks once per process that the configured blob store is this instance's own (<see cref="StoreOwnership"/>)
/// before anything is written to it or swept from it; until the check passes, it is repeated on every use.
/// </summary>
public sealed class BlobStoreGuard(ObjectStoreFactory stores)
{
    private volatile bool _claimed;

    public async Task<IObjectStore> ClaimedStoreAsync(StorageDb db, CancellationToken cancellationToken)
    {
        var store = stores.Blobs;
        if (_claimed) return store;
        await StoreOwnership.ClaimAsync(store, db, cancellationToken);
        _claimed = true;
        return store;
    }
}
