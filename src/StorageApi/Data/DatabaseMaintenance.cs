using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;

namespace StorageApi.Data;

/// <summary>Migrations and backups: the operations a deploy runs around a release.</summary>
public sealed class DatabaseMaintenance(IServiceScopeFactory scopes, StorageSettings settings)
{
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }

    /// <summary>Applies pending migrations and returns their names. SQLite is switched to WAL mode first.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Database.SqlitePath is { } path) Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        // WAL lets readers and the online backup run beside a writer; the setting is stored in the file.
        if (settings.Database.Provider == DatabaseProvider.Sqlite) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        // A migration may rewrite rows that running instances (the release before, during a deploy) keep in memory.
        if (pending.Count > 0) await ChangeCounter.BumpAllAsync(db, cancellationToken);
        return pending;
    }

    /// <summary>Writes a consistent copy of the live database to <paramref name="destination"/> (atomically: temp file, then rename).</summary>
    public async Task BackupAsync(string destination, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".partial";
        File.Delete(temporary);
        var started = DateTime.UtcNow;
        try
        {
            if (settings.Database.SqlitePath is { } source) await SqliteBackup.WriteAsync(source, temporary, cancellationToken);
            else await PostgreSqlBackup.WriteAsync(settings.Database.ConnectionString, temporary, cancellationToken);
            // The copy holds the data as of its start: its time says so, so a restore counts a write made meanwhile as discarded.
            File.SetLastWriteTimeUtc(temporary, started);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>What a restore of <paramref name="backupFile"/> would take away: rows created after the backup was started (its file time).</summary>
    public async Task<WritesSince> WritesSinceAsync(string backupFile, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(backupFile)) throw new FileNotFoundException($"backup {Path.GetFullPath(backupFile)} does not exist");
        var taken = File.GetLastWriteTimeUtc(backupFile);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        return new WritesSince(taken,
            await db.Tenants.CountAsync(t => t.CreatedAt > taken, cancellationToken),
            await db.ApiKeys.CountAsync(k => k.CreatedAt > taken, cancellationToken),
            await db.Objects.CountAsync(o => o.CreatedAt > taken, cancellationToken));
    }

    /// <summary>
    /// Puts a backup's contents into the live database in one step (SQLite's backup API, or one pg_restore transaction),
    /// so a running service sees either the old or the restored database. Never run by deploys: it discards every
    /// write since the backup, so only an operator decides it (see <see cref="WritesSinceAsync"/>).
    /// </summary>
    public async Task RestoreAsync(string backupFile, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(backupFile)) throw new FileNotFoundException($"backup {Path.GetFullPath(backupFile)} does not exist");
        if (settings.Database.SqlitePath is { } target) await SqliteBackup.RestoreAsync(Path.GetFullPath(backupFile), target, cancellationToken);
        else await PostgreSqlBackup.RestoreAsync(settings.Database.ConnectionString, Path.GetFullPath(backupFile), cancellationToken);
        // Keys and objects may have come back or gone: running instances must forget what they cached.
        await using var scope = scopes.CreateAsyncScope();
        await ChangeCounter.BumpAllAsync(scope.ServiceProvider.GetRequiredService<StorageDb>(), cancellationToken);
    }
}

/// <summary>Rows created after a backup was taken: what restoring it would discard (changes to older rows are undone too).</summary>
public sealed record WritesSince(DateTime BackupTakenAt, int Tenants, int Keys, int Objects)
{
    public bool Any => Tenants + Keys + Objects > 0;

    public override string ToString() => $"{Tenants} tenants, {Keys} keys and {Objects} objects created since {BackupTakenAt:u}, and every change made since";
}
