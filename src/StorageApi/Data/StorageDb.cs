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
    public DbSet<Blob> Blobs => Set<Blob>();
    public DbSet<InstanceFact> InstanceFacts => Set<InstanceFact>();
    public DbSet<ChangeCounter> ChangeCounters => Set<ChangeCounter>();
    public DbSet<TenantLimitOverride> TenantLimits => Set<TenantLimitOverride>();
    public DbSet<EmbeddingQueueEntry> EmbeddingQueue => Set<EmbeddingQueueEntry>();
    public DbSet<VectorSet> VectorSets => Set<VectorSet>();
    public DbSet<ObjectVector> ObjectVectors => Set<ObjectVector>();
    public DbSet<ObjectText> ObjectTexts => Set<ObjectText>();

    /// <summary>Set by <see cref="Objects.ObjectChangeStamp"/> when a saved change to objects awaits its commit.</summary>
    internal bool ObjectChangesPending { get; set; }

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

        model.Entity<Blob>(blob =>
        {
            blob.HasKey(b => new { b.TenantId, b.Sha256 });
            blob.Property(b => b.TenantId).HasMaxLength(63);
            blob.Property(b => b.Sha256).HasMaxLength(64);
            blob.Property(b => b.Store).HasMaxLength(500);
            blob.Property(b => b.Key).HasMaxLength(300);
            blob.HasIndex(b => new { b.Store, b.Key }).IsUnique();
            blob.HasOne<Tenant>().WithMany().HasForeignKey(b => b.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<InstanceFact>(fact =>
        {
            fact.HasKey(f => f.Name);
            fact.Property(f => f.Name).HasMaxLength(100);
            fact.Property(f => f.Value).HasMaxLength(1000);
        });

        model.Entity<ChangeCounter>(counter =>
        {
            counter.HasKey(c => c.Name);
            counter.Property(c => c.Name).HasMaxLength(100);
            counter.HasData(new ChangeCounter { Name = ChangeCounter.Access, Value = 0 }, new ChangeCounter { Name = ChangeCounter.Objects, Value = 0 });
        });

        model.Entity<TenantLimitOverride>(limits =>
        {
            limits.ToTable("TenantLimits");
            limits.HasKey(l => l.TenantId);
            limits.Property(l => l.TenantId).HasMaxLength(63);
            limits.HasOne<Tenant>().WithOne().HasForeignKey<TenantLimitOverride>(l => l.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        // Search. Every key starts with the tenant, and rows that belong to an object go with it (cascade).
        model.Entity<EmbeddingQueueEntry>(entry =>
        {
            entry.ToTable("EmbeddingQueue");
            entry.Property(e => e.ObjectId).HasMaxLength(40);
            entry.Property(e => e.LastError).HasMaxLength(SearchLimits.ErrorLength);
            entry.HasIndex(e => new { e.TenantId, e.ObjectId }).IsUnique();
            entry.HasIndex(e => e.NextAttemptAt);
            entry.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Restrict);
            entry.HasOne<StoredObject>().WithMany().HasForeignKey(e => e.ObjectId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<VectorSet>(set =>
        {
            set.Property(s => s.State).HasMaxLength(16);
            set.Property(s => s.Provider).HasMaxLength(32);
            set.Property(s => s.Endpoint).HasMaxLength(500);
            set.Property(s => s.Model).HasMaxLength(200);
            set.HasIndex(s => new { s.TenantId, s.State }).IsUnique();
            set.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<ObjectVector>(vector =>
        {
            vector.HasKey(v => new { v.TenantId, v.SetId, v.ObjectId });
            vector.Property(v => v.ObjectId).HasMaxLength(40);
            vector.HasOne<VectorSet>().WithMany().HasForeignKey(v => v.SetId).OnDelete(DeleteBehavior.Cascade);
            vector.HasOne<StoredObject>().WithMany().HasForeignKey(v => v.ObjectId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ObjectText>(text =>
        {
            text.HasKey(t => t.RowId);
            text.Property(t => t.ObjectId).HasMaxLength(40);
            text.HasIndex(t => t.ObjectId).IsUnique();
            text.HasIndex(t => t.TenantId);
            text.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Restrict);
            text.HasOne<StoredObject>().WithMany().HasForeignKey(t => t.ObjectId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
