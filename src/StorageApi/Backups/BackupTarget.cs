using System.Text.Json;
using StorageApi.ObjectStores;

namespace StorageApi.Backups;

/// <summary>
/// A backup target opened with a key: writes and reads files encrypted (see <see cref="ChunkedEncryption"/>), names
/// blobs, and checks that the key is the one the backups there were made with before anything else is read.
/// </summary>
public sealed class BackupTarget(IObjectStore store, BackupKeys keys)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IObjectStore Store => store;
    public BackupKeys Keys => keys;

    /// <summary>The key check of backup.json: written on the first backup, compared on every later use.</summary>
    private sealed record RootMarker(int Format, string KeyCheck, DateTime CreatedAt);

    /// <summary>Throws <see cref="BackupKeyMismatchException"/> for another key; with <paramref name="createIfMissing"/>, an empty target gets a marker.</summary>
    public async Task VerifyKeyAsync(bool createIfMissing, DateTime now, CancellationToken cancellationToken)
    {
        RootMarker? marker;
        try
        {
            await using var stream = await store.OpenReadAsync(BackupLayout.Root, 0, cancellationToken);
            marker = await JsonSerializer.DeserializeAsync<RootMarker>(stream, Json, cancellationToken);
        }
        catch (ObjectKeyNotFoundException)
        {
            if (!createIfMissing) throw new BackupException($"{store.Url} has no backups ({BackupLayout.Root} is missing)");
            var fresh = new RootMarker(ChunkedEncryption.FormatVersion, keys.KeyCheck, now);
            await store.PutAsync(BackupLayout.Root, new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(fresh, Json)), cancellationToken);
            return;
        }
        catch (JsonException e)
        {
            throw new BackupDamagedException($"{store.Url}/{BackupLayout.Root}", e.Message);
        }
        if (marker is null || marker.KeyCheck != keys.KeyCheck) throw new BackupKeyMismatchException(store.Url.Text);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="key"/> and disposes it; returns the bytes sent.</summary>
    public async Task<long> PutAsync(string key, Stream plaintext, CancellationToken cancellationToken)
    {
        await using var encrypted = new EncryptingStream(plaintext, keys.Encryption, key);
        return await store.PutAsync(key, encrypted, cancellationToken);
    }

    /// <summary>The decrypted bytes of <paramref name="key"/>: a damaged file throws <see cref="BackupDamagedException"/> while read.</summary>
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        new DecryptingStream(await store.OpenReadAsync(key, 0, cancellationToken), keys.Encryption, key);

    public async Task<long> PutManifestAsync(SnapshotManifest manifest, CancellationToken cancellationToken) =>
        await PutAsync(BackupLayout.Manifest(manifest.Id), new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, Json)), cancellationToken);

    public async Task<SnapshotManifest> ReadManifestAsync(string snapshotId, CancellationToken cancellationToken)
    {
        var key = BackupLayout.Manifest(snapshotId);
        await using var stream = await OpenReadAsync(key, cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync<SnapshotManifest>(stream, Json, cancellationToken)
                   ?? throw new BackupDamagedException(key, "it is empty");
        }
        catch (JsonException e)
        {
            throw new BackupDamagedException(key, e.Message);
        }
    }

    /// <summary>Every snapshot (its manifest is there), oldest first: ids start with the time they were taken.</summary>
    public async Task<IReadOnlyList<string>> ListSnapshotIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var stored in store.ListAsync(BackupLayout.SnapshotsPrefix, cancellationToken))
            if (BackupLayout.SnapshotIdOf(stored.Key) is { } id) ids.Add(id);
        return [.. ids.Order(StringComparer.Ordinal)];
    }

    /// <summary>The names of every blob the target has, listed once per run: what is there need not be sent again.</summary>
    public async Task<HashSet<string>> ListBlobNamesAsync(CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var stored in store.ListAsync(BackupLayout.BlobsPrefix, cancellationToken)) names.Add(BackupLayout.BlobNameOf(stored.Key));
        return names;
    }
}
