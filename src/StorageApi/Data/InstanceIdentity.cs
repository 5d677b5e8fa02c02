using Microsoft.EntityFrameworkCore;

namespace StorageApi.Data;

/// <summary>
/// This instance's id, kept in its database: the blue and green slots of a deploy share it, a restored database
/// brings it back, and another instance (staging beside production, another customer) has its own.
/// </summary>
public static class InstanceIdentity
{
    public static async Task<string> GetAsync(StorageDb db, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await db.InstanceFacts.AsNoTracking().SingleOrDefaultAsync(f => f.Name == InstanceFact.InstanceId, cancellationToken);
            if (existing is not null) return existing.Value;
            var fact = new InstanceFact { Name = InstanceFact.InstanceId, Value = Tenancy.Secrets.NewId("inst") };
            db.InstanceFacts.Add(fact);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return fact.Value;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.Entry(fact).State = EntityState.Detached; // the other slot wrote it first: read theirs
            }
        }
    }
}
