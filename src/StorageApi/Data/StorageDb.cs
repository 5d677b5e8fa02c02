using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace StorageApi.Data;

/// <summary>
/// The model, shared by both databases. Each provider has its own subclass only so that each keeps its own migrations
/// (Data/Migrations/Sqlite, Data/Migrations/PostgreSql); services ask for <see cref="StorageDb"/>.
/// </summary>
public abstract class StorageDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<StoredObject> Objects => Set<StoredObject>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) =>
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    /// <summary>Everything is stored as UTC; SQLite hands DateTimes back without a kind, so say which.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.ToUniversalTime(), value => DateTime.SpecifyKind(value, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Tenant>(tenant =>
        {
            tenant.Property(t => t.Id).HasMaxLength(63);
            tenant.Property(t => t.Name).HasMaxLength(200);
        });

        model.Entity<ApiKey>(key =>
        {
            key.Property(k => k.Id).HasMaxLength(40);
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Prefix).HasMaxLength(16);
            key.Property(k => k.Hash).HasMaxLength(64);
            key.HasIndex(k => k.Hash).IsUnique();
            key.HasIndex(k => k.TenantId);
            key.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<StoredObject>(obj =>
        {
            obj.ToTable("Objects");
            obj.Property(o => o.Id).HasMaxLength(40);
            obj.Property(o => o.Filename).HasMaxLength(255);
            obj.Property(o => o.ContentType).HasMaxLength(255);
            obj.Property(o => o.Sha256).HasMaxLength(64);
            obj.Property(o => o.Title).HasMaxLength(ObjectLimits.TitleLength);
            obj.Property(o => o.Description).HasMaxLength(ObjectLimits.DescriptionLength);
            obj.Property(o => o.Collection).HasMaxLength(ObjectLimits.CollectionLength);
            obj.HasIndex(o => new { o.TenantId, o.CreatedAt, o.Id });
            obj.HasIndex(o => new { o.TenantId, o.Sha256 });
            obj.HasIndex(o => new { o.TenantId, o.Collection });
            obj.HasIndex(o => o.ExpiresAt);
            obj.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
