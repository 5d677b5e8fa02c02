using Microsoft.EntityFrameworkCore;
using StorageApi.Data;

namespace StorageApi.WriteHolds;

/// <summary>Holds and releases writes (<c>storage-api write-hold on|off|status</c>); the gate and /health only read.</summary>
public sealed class WriteHoldControl(IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task<WriteHold?> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await WriteHold.ReadAsync(scope.ServiceProvider.GetRequiredService<StorageDb>(), cancellationToken);
    }

    /// <summary>
    /// Holds writes from now on; a hold already in place keeps its time (writes have been held since then) and takes
    /// the new reason and Retry-After. Returns the hold and the one it replaced, if any.
    /// </summary>
    public async Task<(WriteHold Hold, WriteHold? Before)> HoldAsync(string? reason, int retryAfterSeconds, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var before = await WriteHold.ReadAsync(db, cancellationToken);
        var hold = new WriteHold(before?.Since ?? clock.UtcNowStored(), reason, retryAfterSeconds);
        var value = hold.ToJson();
        if (await db.InstanceFacts.Where(f => f.Name == WriteHold.FactName).ExecuteUpdateAsync(set => set.SetProperty(f => f.Value, value), cancellationToken) == 1)
            return (hold, before);
        db.InstanceFacts.Add(new InstanceFact { Name = WriteHold.FactName, Value = value });
        try { await db.SaveChangesAsync(cancellationToken); }
        catch (DbUpdateException) { await db.InstanceFacts.Where(f => f.Name == WriteHold.FactName).ExecuteUpdateAsync(set => set.SetProperty(f => f.Value, value), cancellationToken); }
        return (hold, before);
    }

    /// <summary>Accepts writes again; returns the hold that ended, or null when writes were not held.</summary>
    public async Task<WriteHold?> ReleaseAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDb>();
        var before = await WriteHold.ReadAsync(db, cancellationToken);
        await db.InstanceFacts.Where(f => f.Name == WriteHold.FactName).ExecuteDeleteAsync(cancellationToken);
        return before;
    }
}
