namespace StorageApi.ObjectStores;

public static class ObjectStoreExtensions
{
    /// <summary>
    /// Deletes bytes no row refers to (any more), without failing the work that made them unneeded: a store that is
    /// down now leaves a key without a row, which the orphan sweeper of that store removes once it is a day old.
    /// </summary>
    public static async Task DeleteUnreferencedAsync(this IObjectStore store, string key, ILogger? logger = null)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
        catch (ObjectStoreUnavailableException e)
        {
            logger?.LogWarning("Could not delete {Key} from {Store} ({Reason}); it has no row, so the orphan sweeper removes it later", key, store.Url, e.Message);
        }
    }
}
