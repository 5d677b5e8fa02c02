using System.Data;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using StorageApi.Data;
using StorageApi.ObjectStores;

namespace StorageApi.Objects;

/// <summary>
/// What <c>storage-api verify</c> prints: counts, the digest of every object, and how many blobs are missing or corrupt.
/// <see cref="Bytes"/> is the sum of the blob rows' sizes: the bytes the blob store holds for the objects.
/// </summary>
public sealed record VerificationReport(long Objects, long Blobs, long Bytes, string Digest, int Missing, int Corrupt);

/// <summary>
/// Checks that the database and the blob store agree, and digests the objects so two copies of a tenant's data (a move's
/// source and target, a restore and its origin) can be compared with one string: sha256 over the lines
/// <c>&lt;tenant&gt;\t&lt;objectId&gt;\t&lt;sha256&gt;\t&lt;size&gt;\n</c> of every object (expired ones too: they are rows
/// until swept), ordered by tenant then id, ordinal. Works on any blob store: each blob row's store is listed once per
/// key prefix (one request per 1000 keys on S3, not one per blob), and <c>--rehash</c> streams every blob through sha256.
/// </summary>
public sealed class StoreVerification(StorageDb db, ObjectStoreFactory stores)
{
    private const int ReadsInFlight = 4;

    private sealed record ObjectRow(string TenantId, string Id, string Sha256, long Size);

    public async Task<VerificationReport> VerifyAsync(bool rehash, Action<string> problem, CancellationToken cancellationToken)
    {
        var (objects, blobs) = await ReadRowsAsync(withBlobs: true, cancellationToken);
        var users = objects.ToLookup(o => (o.TenantId, o.Sha256), o => o.Id);
        var missing = 0;
        var corrupt = 0;
        var blobKeys = blobs.Select(b => (b.TenantId, b.Sha256)).ToHashSet();
        foreach (var o in objects.Where(o => !blobKeys.Contains((o.TenantId, o.Sha256))))
        {
            missing++;
            problem($"object {o.Id} of tenant {o.TenantId} has no blob row for sha256 {o.Sha256}");
        }

        var suspects = new List<(Blob Blob, string Why, bool Missing)>();
        var present = new List<Blob>();
        foreach (var group in blobs.GroupBy(b => b.Store))
        {
            var store = stores.Open(group.Key);
            foreach (var byPrefix in group.GroupBy(b => PrefixOf(b.Key)))
            {
                var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
                await foreach (var stored in store.ListAsync(byPrefix.Key, cancellationToken)) sizes[stored.Key] = stored.Size;
                foreach (var blob in byPrefix)
                {
                    if (!sizes.TryGetValue(blob.Key, out var size)) suspects.Add((blob, $"no {blob.Key} in {blob.Store}", true));
                    else if (size != blob.Size) suspects.Add((blob, $"{blob.Key} in {blob.Store} has {size} bytes, its row says {blob.Size}", false));
                    else present.Add(blob);
                }
            }
        }
        if (rehash)
        {
            var hashes = new System.Collections.Concurrent.ConcurrentBag<(Blob Blob, string Why, bool Missing)>();
            await Parallel.ForEachAsync(present, new ParallelOptions { MaxDegreeOfParallelism = ReadsInFlight, CancellationToken = cancellationToken },
                async (blob, token) =>
                {
                    try
                    {
                        var actual = await Sha256OfAsync(stores.Open(blob.Store), blob.Key, token);
                        if (!actual.Equals(blob.Sha256, StringComparison.OrdinalIgnoreCase))
                            hashes.Add((blob, $"{blob.Key} in {blob.Store} has sha256 {actual}", false));
                    }
                    catch (ObjectKeyNotFoundException)
                    {
                        hashes.Add((blob, $"no {blob.Key} in {blob.Store}", true));
                    }
                });
            suspects.AddRange(hashes);
        }

        foreach (var (blob, why, isMissing) in suspects.OrderBy(s => s.Blob.TenantId, StringComparer.Ordinal).ThenBy(s => s.Blob.Sha256, StringComparer.Ordinal))
        {
            // Deleted or moved (blobs migrate) since the rows were read: its bytes went with the row, nothing is lost.
            if (!await StillNamesAsync(blob, cancellationToken)) continue;
            if (isMissing) missing++;
            else corrupt++;
            var ids = string.Join(", ", users[(blob.TenantId, blob.Sha256)].Order(StringComparer.Ordinal));
            problem($"{(isMissing ? "missing" : "corrupt")} blob {blob.TenantId}/{blob.Sha256}: {why} (objects: {(ids.Length == 0 ? "none" : ids)})");
        }

        return new VerificationReport(objects.Count, blobs.Count, blobs.Sum(b => b.Size), Digest(objects), missing, corrupt);
    }

    /// <summary>Every object as <c>&lt;objectId&gt; &lt;sha256&gt; &lt;size&gt;</c>, ordered by id (ordinal): what a restore lacks is a diff away.</summary>
    public async IAsyncEnumerable<string> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (objects, _) = await ReadRowsAsync(withBlobs: false, cancellationToken);
        foreach (var o in objects.OrderBy(o => o.Id, StringComparer.Ordinal)) yield return $"{o.Id} {o.Sha256} {o.Size}";
    }

    private static string Digest(List<ObjectRow> sorted)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var o in sorted) hash.AppendData(Encoding.UTF8.GetBytes($"{o.TenantId}\t{o.Id}\t{o.Sha256}\t{o.Size}\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Objects and blobs as of one moment (one transaction, which is a snapshot on PostgreSQL's repeatable read and on
    /// SQLite), objects sorted by tenant then id in memory: databases' collations do not sort ordinally.
    /// </summary>
    private async Task<(List<ObjectRow> Objects, List<Blob> Blobs)> ReadRowsAsync(bool withBlobs, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var objects = await db.Objects.AsNoTracking().Select(o => new ObjectRow(o.TenantId, o.Id, o.Sha256, o.Size)).ToListAsync(cancellationToken);
        var blobs = withBlobs ? await db.Blobs.AsNoTracking().ToListAsync(cancellationToken) : [];
        await transaction.CommitAsync(cancellationToken);
        objects.Sort((a, b) => string.CompareOrdinal(a.TenantId, b.TenantId) is var byTenant and not 0 ? byTenant : string.CompareOrdinal(a.Id, b.Id));
        return (objects, blobs);
    }

    /// <summary>Keys are <c>&lt;tenant&gt;/…</c>: listing that folder of the store finds all of a tenant's blobs at once.</summary>
    private static string PrefixOf(string key) => key.IndexOf('/') is var slash and >= 0 ? key[..(slash + 1)] : key;

    private static async Task<string> Sha256OfAsync(IObjectStore store, string key, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(key, 0, cancellationToken);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private async Task<bool> StillNamesAsync(Blob blob, CancellationToken cancellationToken) =>
        await db.Blobs.AsNoTracking().AnyAsync(b => b.TenantId == blob.TenantId && b.Sha256 == blob.Sha256 && b.Store == blob.Store && b.Key == blob.Key, cancellationToken);
}
