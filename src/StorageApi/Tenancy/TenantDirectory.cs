using Microsoft.EntityFrameworkCore;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.Validation;

namespace StorageApi.Tenancy;

public sealed record TenantView(string Id, string Name, DateTime CreatedAt, int ActiveKeys);
public sealed record ApiKeyView(string Id, string TenantId, string Name, string Prefix, DateTime CreatedAt, DateTime? RevokedAt);
public sealed record CreatedApiKey(string Id, string TenantId, string Name, string Prefix, DateTime CreatedAt, string Key);

/// <summary>Tenants and their API keys: the one implementation behind the admin HTTP API and the admin CLI verbs.</summary>
public sealed class TenantDirectory(StorageDb db, StorageSettings settings, ApiKeyCache keys, TimeProvider clock)
{
    public async Task<TenantView> CreateTenantAsync(string id, string name, CancellationToken cancellationToken = default)
    {
        if (!TenantIds.IsValid(id)) throw new InvalidValueException($"Tenant id '{id}' is not valid: {TenantIds.Rule}.");
        if (TenantIds.IsReserved(id))
            throw new InvalidValueException($"Tenant id '{id}' is reserved: metrics and logs use it for requests that are no tenant's (reserved: {string.Join(", ", TenantIds.Reserved)}).");
        name = name.Trim();
        if (name.Length is 0 or > 200) throw new InvalidValueException("Tenant name must be 1-200 characters.");
        VisibleText.Require("The tenant name", name);
        if (settings.TenantId is { } only && only != id)
            throw new InvalidValueException($"This instance serves tenant '{only}' only.");
        if (await db.Tenants.AnyAsync(t => t.Id == id, cancellationToken))
            throw new AlreadyExistsException($"Tenant '{id}' already exists.");
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
        if (name.Length > 100) throw new InvalidValueException("Key name must be at most 100 characters.");
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

    /// <summary>
    /// Revokes a key; revoking a revoked key again changes nothing. The access counter moves in the same transaction, so
    /// other instances forget their cached keys within a second; this one forgets them before the call returns.
    /// </summary>
    public async Task RevokeKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken = default)
    {
        await RequireTenantAsync(tenantId, cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId, cancellationToken)
            ?? throw new NotFoundException($"Key '{keyId}' of tenant '{tenantId}'");
        if (key.RevokedAt is not null) return;
        key.RevokedAt = clock.UtcNowStored();
        await using (var unit = await UnitOfWork.BeginAsync(db, cancellationToken))
        {
            unit.AfterCommit(keys.Forget);
            await db.SaveChangesAsync(cancellationToken);
            await ChangeCounter.BumpAsync(db, ChangeCounter.Access, cancellationToken);
            await unit.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The tenant that owns this active key, or null. On a dedicated instance, other tenants' keys are unknown. Answered
    /// from <see cref="ApiKeyCache"/> when it can; otherwise one read by the key hash's unique index.
    /// </summary>
    public async ValueTask<string?> FindTenantByKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = Secrets.Hash(key);
        if (keys.TryGet(hash, out var cached)) return cached;
        var generation = keys.Generation;
        var tenantId = await TenantOfActiveKey(db, hash, settings.TenantId, cancellationToken);
        if (tenantId is not null) keys.Remember(hash, tenantId, generation);
        return tenantId;
    }

    private static readonly Func<StorageDb, string, string?, CancellationToken, Task<string?>> TenantOfActiveKey =
        EF.CompileAsyncQuery((StorageDb db, string hash, string? onlyTenant, CancellationToken _) => db.ApiKeys
            .Where(k => k.Hash == hash && k.RevokedAt == null && (onlyTenant == null || k.TenantId == onlyTenant))
            .Select(k => k.TenantId)
            .SingleOrDefault());

    /// <summary>Throws a 404 unless the tenant exists and this instance serves it.</summary>
    public async Task RequireTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var visible = settings.TenantId is null || settings.TenantId == tenantId;
        if (!visible || !await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
            throw new NotFoundException($"Tenant '{tenantId}'");
    }
}
