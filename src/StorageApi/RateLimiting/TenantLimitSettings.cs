using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.Tenancy;

namespace StorageApi.RateLimiting;

/// <summary>A tenant's limits as the admin API shows them: what is in force, what the operator set, and the defaults.</summary>
public sealed record TenantLimitsView(string TenantId, TenantLimits Effective, LimitOverrides Overrides, TenantLimits Defaults, DateTime? UpdatedAt);

/// <summary>Reads and changes a tenant's stored limit overrides; a change is in force for the next request.</summary>
public sealed class TenantLimitSettings(StorageDb db, TenantDirectory tenants, StorageSettings settings, EffectiveLimits effective, TimeProvider clock)
{
    public async Task<TenantLimitsView> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        await tenants.RequireTenantAsync(tenantId, cancellationToken);
        return View(tenantId, await db.TenantLimits.FindAsync([tenantId], cancellationToken));
    }

    /// <summary>Replaces the tenant's overrides with <paramref name="overrides"/>: a value left out returns to the default.</summary>
    public async Task<TenantLimitsView> SetAsync(string tenantId, LimitOverrides overrides, CancellationToken cancellationToken)
    {
        await tenants.RequireTenantAsync(tenantId, cancellationToken);
        if (LimitRanges.Problems(overrides) is { Count: > 0 } problems) throw new InvalidValueException(string.Join(" ", problems));

        var stored = await db.TenantLimits.FindAsync([tenantId], cancellationToken);
        if (overrides == new LimitOverrides())
        {
            if (stored is not null) db.TenantLimits.Remove(stored);
            stored = null;
        }
        else
        {
            if (stored is null) db.TenantLimits.Add(stored = new TenantLimitOverride { TenantId = tenantId });
            stored.RequestsPerMinute = overrides.RequestsPerMinute;
            stored.RequestBurst = overrides.RequestBurst;
            stored.UploadBytesPerMinute = overrides.UploadBytesPerMinute;
            stored.ConcurrentUploads = overrides.ConcurrentUploads;
            stored.UpdatedAt = clock.UtcNowStored();
        }
        await db.SaveChangesAsync(cancellationToken);
        var view = View(tenantId, stored);
        effective.Remember(tenantId, view.Effective);
        return view;
    }

    private TenantLimitsView View(string tenantId, TenantLimitOverride? stored)
    {
        var overrides = EffectiveLimits.OverridesOf(stored);
        return new TenantLimitsView(tenantId, settings.DefaultLimits.With(overrides), overrides, settings.DefaultLimits, stored?.UpdatedAt);
    }
}
