using Microsoft.EntityFrameworkCore;

namespace StorageApi.Data;

/// <summary>
/// A value in the database that changes whenever something that instances keep in memory changes, so every instance
/// on the database learns of the change by reading a few rows now and then (<see cref="ChangeWatcher"/>) instead of
/// re-reading what it keeps. A change writes a new random value rather than adding one: a restored database brings back
/// an older value, and the next change must not land on a value an instance saw before the restore.
/// </summary>
public sealed class ChangeCounter
{
    /// <summary>Who may use the service: a key revoked, a database restored (see <see cref="Tenancy.ApiKeyCache"/>).</summary>
    public const string Access = "access";

    /// <summary>Objects and blob rows changed or deleted (see <see cref="Objects.ObjectContentCache"/>); new objects change nothing kept.</summary>
    public const string Objects = "objects";

    public required string Name { get; init; }
    public long Value { get; set; }

    /// <summary>Counts a change; inside the caller's transaction, if there is one, so it commits with the change it announces.</summary>
    public static Task BumpAsync(StorageDb db, string name, CancellationToken cancellationToken)
    {
        var value = NewValue();
        return db.ChangeCounters.Where(c => c.Name == name).ExecuteUpdateAsync(set => set.SetProperty(c => c.Value, value), cancellationToken);
    }

    /// <summary>
    /// Counts a change of everything instances keep (a restore, a migration). A database from before the counters has
    /// nothing to move, and no instance trusts a cache on it (<see cref="ChangeWatcher"/> confirms none) until it is migrated.
    /// </summary>
    public static async Task BumpAllAsync(StorageDb db, CancellationToken cancellationToken)
    {
        var value = NewValue();
        try { await db.ChangeCounters.ExecuteUpdateAsync(set => set.SetProperty(c => c.Value, value), cancellationToken); }
        catch (System.Data.Common.DbException e) when (IsMissingTable(e)) { }
    }

    private static bool IsMissingTable(System.Data.Common.DbException e) =>
        e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UndefinedTable }
        || (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 1 } && e.Message.Contains("no such table", StringComparison.Ordinal));

    /// <summary>Counts a change with the context's next SaveChanges (same statement batch and transaction as the change).</summary>
    public static void BumpWithSave(StorageDb db, string name)
    {
        var counter = db.ChangeCounters.Local.FirstOrDefault(c => c.Name == name);
        if (counter is null)
        {
            counter = new ChangeCounter { Name = name };
            db.ChangeCounters.Attach(counter);
        }
        counter.Value = NewValue();
    }

    /// <summary>Every counter's value, in one read of a table of a few rows; throws before the migration that adds it.</summary>
    public static readonly Func<StorageDb, IAsyncEnumerable<ChangeCounter>> ReadAll =
        EF.CompileAsyncQuery((StorageDb db) => db.ChangeCounters.AsNoTracking());

    private static long NewValue() => Random.Shared.NextInt64();
}
