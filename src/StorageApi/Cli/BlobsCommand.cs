using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.ObjectStores;
using StorageApi.Objects;

namespace StorageApi.Cli;

/// <summary><c>storage-api blobs migrate --to &lt;url&gt; [--tenant &lt;id&gt;]</c>: moves blobs to another store (<see cref="BlobMigration"/>).</summary>
public static class BlobsCommand
{
    public const string UsageLine = "storage-api blobs migrate --to <url> [--tenant <id>]  copy blobs to another store, verified, and switch to it";

    /// <summary>The verb for <paramref name="args"/> (after 'blobs'); null when they do not fit; <see cref="FormatException"/> for an unusable URL.</summary>
    public static Func<IServiceProvider, Task<int>>? Parse(string[] args)
    {
        if (args is not ["migrate", .. var options]) return null;
        string? to = null, tenant = null;
        for (var i = 0; i < options.Length; i += 2)
        {
            if (i + 1 >= options.Length) return null;
            switch (options[i])
            {
                case "--to" when to is null: to = options[i + 1]; break;
                case "--tenant" when tenant is null: tenant = options[i + 1]; break;
                default: return null;
            }
        }
        if (to is null) throw new FormatException("blobs migrate needs --to <url> (file:, file:///folder or s3://bucket/prefix)");
        ObjectStoreUrl.Parse(to, "/"); // the syntax, before any configuration is read; 'file:' is resolved when it runs
        return services => MigrateAsync(services, to, tenant);
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, string to, string? tenant)
    {
        var settings = services.GetRequiredService<StorageSettings>();
        var target = ObjectStoreUrl.Parse(to, settings.BlobDirectory);
        var maintenance = services.GetRequiredService<DatabaseMaintenance>();
        if (settings.IsDevelopment) await maintenance.MigrateAsync();
        else if ((await maintenance.PendingMigrationsAsync()).Count > 0)
        {
            Console.Error.WriteLine("error: the database has pending migrations; run 'storage-api migrate' first");
            return 1;
        }

        using var interrupted = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (interrupted.IsCancellationRequested) return; // a second Ctrl-C ends the process at once
            e.Cancel = true;
            Console.Error.WriteLine("interrupting: finishing the current blob's cleanup; run the same command again to continue");
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var migration = ActivatorUtilities.CreateInstance<BlobMigration>(services);
            var summary = await migration.RunAsync(target, tenant, line => Console.Error.WriteLine(line), interrupted.Token);
            foreach (var line in Report(summary, settings)) Console.WriteLine(line);
            return 0;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.Error.WriteLine($"error: interrupted; the blobs switched so far are in {target}, run the same command again to move the rest");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The summary line, and what the operator has to do next for the switch to be complete.</summary>
    public static IEnumerable<string> Report(BlobMigrationSummary summary, StorageSettings settings)
    {
        yield return $"migrated {summary.Copied} blobs ({BlobMigration.Megabytes(summary.Bytes)}, {summary.MegabytesPerSecond:0.0} MB/s) to {summary.Target} " +
                     $"in {summary.Duration.TotalSeconds:0.0} s; skipped {summary.Skipped} already there" +
                     (summary.Gone > 0 ? $", {summary.Gone} deleted meanwhile" : "") +
                     (summary.Swept > 0 ? $"; removed {summary.Swept} day-old keys without a row from the old stores" : "");
        var configured = OrphanSweeper.SameStore(settings.BlobStoreUrl, summary.Target);
        if (summary.Remaining > 0)
            yield return $"{summary.Remaining} blobs arrived in another store during the run; run migrate again to move them";
        if (configured)
        {
            if (summary.Remaining == 0) yield return $"every blob is in {summary.Target}, which is BLOB_STORE_URL: the migration is complete";
            yield break;
        }
        yield return $"now set BLOB_STORE_URL={summary.Target} (storagectl: env BLOB_STORE_URL) and restart: uploads still go to {settings.BlobStoreUrl} until then; " +
                     "run migrate again afterwards to move what arrived meanwhile";
        yield return $"until then the orphan sweeper does not visit {summary.Target}: a copy cut there by a crash stays, without a row, until BLOB_STORE_URL names it (then it goes a day later)";
    }
}
