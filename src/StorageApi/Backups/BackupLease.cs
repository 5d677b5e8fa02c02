using System.Globalization;
using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.Backups;

/// <summary>
/// "Only one backup at a time" across every instance on the database (the blue and green slots of a deploy both run
/// the scheduler): an InstanceFacts row 'backup-lease' = "holder|expiry ticks", taken and renewed with a conditional
/// UPDATE on the value read, so two instances can never both succeed. A holder that dies frees it when it expires.
/// </summary>
public sealed class BackupLease(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string FactName = "backup-lease";
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(10);

    /// <summary>Takes the lease for <paramref name="holder"/>; false, with who has it, when another holder's lease has not expired.</summary>
    public async Task<(bool Taken, string? OtherHolder)> TryTakeAsync(string holder, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var current = await db.InstanceFacts.AsNoTracking().Where(f => f.Name == FactName).Select(f => f.Value).FirstOrDefaultAsync(cancellationToken);
        var wanted = Value(holder, now + Duration);
        if (current is null)
        {
            db.InstanceFacts.Add(new InstanceFact { Name = FactName, Value = wanted });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (true, null);
            }
            catch (DbUpdateException)
            {
                return (false, "another instance"); // it inserted the row first
            }
        }
        var (otherHolder, expires) = Parse(current);
        if (otherHolder != holder && expires > now) return (false, $"{otherHolder} until {expires:u}");
        var swapped = await db.InstanceFacts.Where(f => f.Name == FactName && f.Value == current)
            .ExecuteUpdateAsync(set => set.SetProperty(f => f.Value, wanted), cancellationToken);
        return swapped == 1 ? (true, null) : (false, "another instance");
    }

    /// <summary>Extends the holder's lease; throws when it was lost (it expired and another instance took it).</summary>
    public async Task RenewAsync(string holder, CancellationToken cancellationToken)
    {
        var (taken, other) = await TryTakeAsync(holder, cancellationToken);
        if (!taken) throw new BackupException($"the backup lease was lost to {other}; this backup stopped");
    }

    public async Task ReleaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var prefix = holder + "|";
        await db.InstanceFacts.Where(f => f.Name == FactName && f.Value.StartsWith(prefix)).ExecuteDeleteAsync(cancellationToken);
    }

    private static string Value(string holder, DateTime expires) => $"{holder}|{expires.Ticks.ToString(CultureInfo.InvariantCulture)}";

    private static (string Holder, DateTime Expires) Parse(string value)
    {
        var bar = value.LastIndexOf('|');
        return bar > 0 && long.TryParse(value[(bar + 1)..], CultureInfo.InvariantCulture, out var ticks)
            ? (value[..bar], new DateTime(ticks, DateTimeKind.Utc))
            : (value, DateTime.MinValue); // unreadable: treat as expired
    }
}
