using System.Text;
using StorageApi.Data;

namespace StorageApi.ObjectStores;

/// <summary>
/// Each blob store belongs to one instance. Its first use writes the instance's id under <see cref="MarkerKey"/>;
/// a store marked by another instance (staging pointed at production's bucket, two customers on one prefix) is
/// refused before anything is written or swept there, because sweeping bytes this instance has no rows for would
/// delete the other instance's data.
/// </summary>
public static class StoreOwnership
{
    /// <summary>Not a tenant's prefix: tenant ids never start with '_'.</summary>
    public const string MarkerKey = "_owner/instance-id";

    public static async Task ClaimAsync(IObjectStore store, StorageDb db, CancellationToken cancellationToken)
    {
        var instanceId = await InstanceIdentity.GetAsync(db, cancellationToken);
        var owner = await ReadOwnerAsync(store, cancellationToken);
        if (owner is null)
        {
            await store.PutAsync(MarkerKey, new MemoryStream(Encoding.UTF8.GetBytes(instanceId)), cancellationToken);
            owner = await ReadOwnerAsync(store, cancellationToken); // two instances claiming at once: the last write wins, the other sees it
        }
        if (owner != instanceId)
            throw new ObjectStoreUnavailableException(
                $"{store.Url} belongs to another instance ({owner}; this one is {instanceId}): give each instance its own bucket or prefix");
    }

    private static async Task<string?> ReadOwnerAsync(IObjectStore store, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(MarkerKey, 0, cancellationToken);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return (await reader.ReadToEndAsync(cancellationToken)).Trim();
        }
        catch (ObjectKeyNotFoundException)
        {
            return null;
        }
    }
}
