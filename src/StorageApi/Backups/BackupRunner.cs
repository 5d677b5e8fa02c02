using System.Diagnostics;
using System.Security.Cryptography;
using StorageApi.Configuration;
using StorageApi.Health;
using StorageApi.ObjectStores;

namespace StorageApi.Backups;

/// <summary>
/// One backup: under the lease, a consistent database snapshot; the blobs it names that the target lacks, encrypted;
/// the encrypted database; last the manifest, which makes the snapshot exist. Then retention. Used by the scheduler
/// and by <c>storage-api backup-now</c>.
/// </summary>
public sealed class BackupRunner(
    StorageSettings settings, ObjectStoreFactory stores, BackupLease lease, BackupStatus status, InstanceInfo instance,
    TimeProvider clock, ILogger<BackupRunner> logger)
{
    private static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);
    private const int CopiesInFlight = 4;

    public async Task<BackupResult> RunAsync(CancellationToken cancellationToken)
    {
        var backup = settings.Backup ?? throw new BackupException("BACKUP_URL is not set: there is nowhere to back up to");
        var (taken, other) = await lease.TryTakeAsync(instance.Id, cancellationToken);
        if (!taken) throw new BackupBusyException(other!);
        try
        {
            return await BackUpAsync(backup, cancellationToken);
        }
        finally
        {
            await lease.ReleaseAsync(instance.Id, CancellationToken.None);
        }
    }

    private async Task<BackupResult> BackUpAsync(BackupSettings backup, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var now = clock.GetUtcNow().UtcDateTime;
        var target = new BackupTarget(stores.Open(backup.Url), new BackupKeys(backup.Key));
        await target.VerifyKeyAsync(createIfMissing: true, now, cancellationToken);
        var id = $"{now:yyyyMMdd'T'HHmmssfff'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

        using var snapshot = await DatabaseSnapshot.TakeAsync(settings, cancellationToken);
        var present = await target.ListBlobNamesAsync(cancellationToken);
        var (uploaded, skipped, blobBytesSent) = (0, 0, 0L);
        var needs = new List<SnapshotBlob>();
        var missing = new List<string>();
        var tally = new Lock();
        using var renewal = new LeaseRenewal(lease, instance.Id, RenewEvery);
        // A few blobs at a time: each is a request of its own to an S3 target, mostly waiting on the network.
        await Parallel.ForEachAsync(snapshot.Blobs, new ParallelOptions { MaxDegreeOfParallelism = CopiesInFlight, CancellationToken = cancellationToken },
            async (row, token) =>
            {
                await renewal.RenewIfDueAsync(token);
                var name = target.Keys.BlobName(row.TenantId, row.Sha256);
                bool alreadyThere;
                lock (tally) alreadyThere = !present.Add(name);
                if (alreadyThere)
                {
                    lock (tally)
                    {
                        skipped++;
                        needs.Add(new SnapshotBlob(row.TenantId, row.Sha256, row.Size));
                    }
                    return;
                }
                try
                {
                    var source = await stores.Open(row.Store).OpenReadAsync(row.Key, 0, token);
                    var checkedSource = new Sha256VerifyingStream(source, row.Sha256, (actual, length) =>
                        new BackupException($"blob {row.TenantId}/{row.Sha256} at {row.Store} {row.Key} should have sha256 {row.Sha256} but its {length} bytes have {actual}"));
                    var sent = await target.PutAsync(BackupLayout.Blob(name), checkedSource, token);
                    lock (tally)
                    {
                        uploaded++;
                        blobBytesSent += sent;
                        needs.Add(new SnapshotBlob(row.TenantId, row.Sha256, row.Size));
                    }
                }
                catch (ObjectKeyNotFoundException)
                {
                    // Deleted since the snapshot: the snapshot's database still names it, so say so rather than fail every later backup too.
                    lock (tally) missing.Add($"{row.TenantId}/{row.Sha256}");
                    logger.LogWarning("Backup {SnapshotId}: blob {Tenant}/{Sha256} was deleted before it could be copied", id, row.TenantId, row.Sha256);
                }
            });

        var bytesSent = blobBytesSent;
        await using (var database = File.OpenRead(snapshot.File))
            bytesSent += await target.PutAsync(BackupLayout.Database(id), database, cancellationToken);
        var manifest = new SnapshotManifest(id, now, BuildInfo.Current.ToString(), snapshot.Provider, snapshot.Objects,
            needs.Count, needs.Sum(b => b.Size), SnapshotManifest.DigestOf(needs), needs, missing);
        bytesSent += await target.PutManifestAsync(manifest, cancellationToken);
        await status.RecordAsync(new LastGoodBackup(now, id), cancellationToken);

        await lease.RenewAsync(instance.Id, cancellationToken);
        var (snapshotsDeleted, blobsDeleted) = await RetentionPruner.PruneAsync(target, backup, now, cancellationToken);
        var result = new BackupResult(id, now, snapshot.Objects, uploaded, skipped, blobBytesSent, bytesSent, missing, started.Elapsed, snapshotsDeleted, blobsDeleted);
        logger.LogInformation("Backup to {Target}: {Result}", backup.Url, result);
        return result;
    }
}
