using System.Globalization;
using StorageApi.Backups;
using StorageApi.Configuration;
using StorageApi.ObjectStores;

namespace StorageApi.Cli;

/// <summary>The off-host backup verbs: <c>backup-now</c>, <c>backups list</c>, <c>restore-from &lt;url&gt; [--at &lt;time&gt;]</c>.</summary>
public static class BackupCommands
{
    /// <summary>How long `backup-now` waits for a backup that holds the lease (the instance's own schedule, say) to end.</summary>
    public static readonly TimeSpan BusyWait = TimeSpan.FromMinutes(15);

    public static async Task<int> BackupNowAsync(IServiceProvider services)
    {
        var result = await RunWhenFreeAsync(services.GetRequiredService<BackupRunner>(), BusyWait);
        Console.WriteLine($"snapshot {result.SnapshotId} taken {result.TakenAt:O}");
        Console.WriteLine($"objects {result.Objects}, blobs uploaded {result.BlobsUploaded}, skipped {result.BlobsSkipped} (already there), " +
                          $"bytes sent {result.BytesSent}, duration {result.Duration.TotalSeconds:0.00}s");
        foreach (var missing in result.MissingBlobs) Console.Error.WriteLine($"warning: blob {missing} was deleted before it could be copied");
        if (result.SnapshotsDeleted + result.BlobsDeleted > 0)
            Console.WriteLine($"retention removed {result.SnapshotsDeleted} snapshots and {result.BlobsDeleted} blobs");
        return 0;
    }

    /// <summary>
    /// A backup asked for by hand (or by storagectl) while the instance's scheduled one runs is not a failure: it waits
    /// for that one to end, saying so once, then takes its own (which then sends only what changed meanwhile).
    /// </summary>
    private static async Task<BackupResult> RunWhenFreeAsync(BackupRunner runner, TimeSpan wait)
    {
        var until = DateTime.UtcNow + wait;
        var said = false;
        while (true)
        {
            try
            {
                return await runner.RunAsync(CancellationToken.None);
            }
            catch (BackupBusyException busy) when (DateTime.UtcNow < until)
            {
                if (!said) Console.Error.WriteLine($"{busy.Message}: waiting for it to end (at most {wait.TotalMinutes:0} minutes)");
                said = true;
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    public static async Task<int> ListAsync(IServiceProvider services)
    {
        var settings = services.GetRequiredService<StorageSettings>();
        var backup = settings.Backup ?? throw new BackupException("BACKUP_URL is not set: there are no backups to list");
        var target = new BackupTarget(services.GetRequiredService<ObjectStoreFactory>().Open(backup.Url), new BackupKeys(backup.Key));
        await target.VerifyKeyAsync(createIfMissing: false, DateTime.UtcNow, CancellationToken.None);
        foreach (var id in await target.ListSnapshotIdsAsync(CancellationToken.None))
        {
            var m = await target.ReadManifestAsync(id, CancellationToken.None);
            Console.WriteLine($"{m.Id}\t{m.TakenAt:O}\t{m.Version}\t{m.Objects} objects\t{m.BlobBytes} bytes" + (m.Missing.Count > 0 ? $"\t{m.Missing.Count} missing" : ""));
        }
        return 0;
    }

    public static async Task<int> RestoreFromAsync(IServiceProvider services, string url, DateTime? at)
    {
        var settings = services.GetRequiredService<StorageSettings>();
        ObjectStoreUrl from;
        try { from = ObjectStoreUrl.Parse(url, settings.BlobDirectory); }
        catch (FormatException e) { throw new BackupException(e.Message); }
        var result = await services.GetRequiredService<BackupRestorer>().RestoreAsync(from, at, CancellationToken.None);
        var s = result.Snapshot;
        Console.WriteLine($"restored snapshot {s.Id} taken {s.TakenAt:O} by {s.Version}: {s.Objects} objects, {result.Blobs} blobs ({result.Bytes} bytes), " +
                          $"every sha256 verified, into {services.GetRequiredService<ObjectStoreFactory>().Blobs.Url} and {settings.Database.Display}");
        if (s.Missing.Count > 0) Console.Error.WriteLine($"warning: {s.Missing.Count} blobs were deleted before the snapshot could copy them; their objects have no bytes");
        return 0;
    }

    /// <summary>An ISO 8601 time; one without an offset is UTC.</summary>
    public static bool TryParseTime(string? text, out DateTime? time)
    {
        time = null;
        if (text is null) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        time = parsed.UtcDateTime;
        return true;
    }
}
