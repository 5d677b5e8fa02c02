using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Problems;
using StorageApi.Validation;

namespace StorageApi.Tenancy;

public sealed record TenantView(string Id, string Name, DateTime CreatedAt, int ActiveKeys);
public sealed record ApiKeyView(string Id, string TenantId, string Name, string Prefix, DateTime CreatedAt, DateTime? RevokedAt);
public sealed record CreatedApiKey(string Id, string TenantId, string Name, string Prefix, DateTime CreatedAt, string Key);

/// <summary>Tenants and their API keys: the one implementation behind the admin HTTP API and the admin CLI verbs.</summary>
public sealed class TenantDirectory(StorageDb db, StorageSettings settings, TimeProvider clock)
{
    public async Task<TenantView> CreateTenantAsync(string id, string name, CancellationToken cancellationToken = default)
    {
        if (!TenantIds.IsValid(id)) throw ApiProblemException.BadRequest($"Tenant id '{id}' is not valid: {TenantIds.Rule}.");
        name = name.Trim();
        if (name.Length is 0 or > 200) throw ApiProblemException.BadRequest("Tenant name must be 1-200 characters.");
        VisibleText.Require("The tenant name", name);
        if (settings.TenantId is { } only && only != id)
            throw ApiProblemException.BadRequest($"This instance serves tenant '{only}' only.");
        if (await db.Tenants.AnyAsync(t => t.Id == id, cancellationToken))
            throw ApiProblemException.Conflict($"Tenant '{id}' already exists.");
        var tenant = new Tenant { Id = id, Name = name, CreatedAt = clock.UtcNowStored() };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(cancellationToken);
        return new TenantView(tenant.Id, tenant.Name, tenant.CreatedAt, 0);
    }

    public async Task<IReadOnlyList<TenantView>> ListTenantsAsync(CancellationToken cancellationToken = default) =>
        await db.Tenants
            .Where(t => settings.TenantId == null || t.Id == settings.TenantId)
            .OrderBy(t => t.Id)
            .Select(t => new TenantView(t.Id, t.Name, t.CreatedAt, db.ApiKeys.Count(k => k.TenantId == t.Id && k.RevokedAt == null)))
            .ToListAsync(cancellationToken);

    public async Task<CreatedApiKey> CreateKeyAsync(string tenantId, string? name, CancellationToken cancellationToken = default)
    {
        await RequireTenantAsync(tenantId, cancellationToken);
        name = string.IsNullOrWhiteSpace(name) ? "default" : name.Trim();
        if (name.Length > 100) throw ApiProblemException.BadRequest("Key name must be at most 100 characters.");
        VisibleText.Require("The key name", name);
        var key = Secrets.NewApiKey();
        var entity = new ApiKey
        {
            Id = Secrets.NewId("key"),
            TenantId = tenantId,
            Name = name,
            Prefix = key[..10],
            Hash = Secrets.Hash(key),
            CreatedAt = clock.UtcNowStored(),
        };
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(entity.Id, tenantId, entity.Name, entity.Prefix, entity.CreatedAt, key);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListKeysAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await RequireTenantAsync(tenantId, cancellationToken);
        return await db.ApiKeys.Where(k => k.TenantId == tenantId).OrderBy(k => k.CreatedAt)
            .Select(k => new ApiKeyView(k.Id, k.TenantId, k.Name, k.Prefix, k.CreatedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Revokes a key; revoking a revoked key again changes nothing.</summary>
    public async Task RevokeKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken = default)
    {
        await RequireTenantAsync(tenantId, cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId, cancellationToken)
            ?? throw ApiProblemException.NotFound($"Key '{keyId}' of tenant '{tenantId}'");
        key.RevokedAt ??= clock.UtcNowStored();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The tenant that owns this active key, or null. On a dedicated instance, other tenants' keys are unknown.</summary>
    public Task<string?> FindTenantByKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = Secrets.Hash(key);
        return db.ApiKeys
            .Where(k => k.Hash == hash && k.RevokedAt == null && (settings.TenantId == null || k.TenantId == settings.TenantId))
            .Select(k => k.TenantId)
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Throws a 404 unless the tenant exists and this instance serves it.</summary>
    public async Task RequireTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var visible = settings.TenantId is null || settings.TenantId == tenantId;
        if (!visible || !await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
            throw ApiProblemException.NotFound($"Tenant '{tenantId}'");
    }
}
