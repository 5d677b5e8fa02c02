using System.Globalization;
using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Backups;

/// <summary>
/// The last good backup (time and snapshot id), kept in the database (InstanceFacts 'backup-last-good') so every
/// instance on it reports the same age, whichever of them took the backup.
/// </summary>
public sealed class BackupStatus(IServiceScopeFactory scopes)
{
    public const string FactName = "backup-last-good";

    public async Task<LastGoodBackup?> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var value = await db.InstanceFacts.AsNoTracking().Where(f => f.Name == FactName).Select(f => f.Value).FirstOrDefaultAsync(cancellationToken);
        var space = value?.IndexOf(' ') ?? -1;
        return space > 0 && DateTime.TryParse(value![..space], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new LastGoodBackup(at, value[(space + 1)..])
            : null;
    }

    public async Task RecordAsync(LastGoodBackup backup, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var value = $"{backup.At:O} {backup.SnapshotId}";
        if (await db.InstanceFacts.Where(f => f.Name == FactName).ExecuteUpdateAsync(set => set.SetProperty(f => f.Value, value), cancellationToken) == 1) return;
        db.InstanceFacts.Add(new InstanceFact { Name = FactName, Value = value });
        try { await db.SaveChangesAsync(cancellationToken); }
        catch (DbUpdateException) { await db.InstanceFacts.Where(f => f.Name == FactName).ExecuteUpdateAsync(set => set.SetProperty(f => f.Value, value), cancellationToken); }
    }
}

public sealed record LastGoodBackup(DateTime At, string SnapshotId);
