using Microsoft.EntityFrameworkCore;

namespace StorageApi.Data;

/// <summary>
/// A number in the database that goes up whenever something that instances keep in memory changes, so every instance
/// on the database learns of the change by reading one row now and then instead of re-reading what it keeps.
/// </summary>
public sealed class ChangeCounter
{
    /// <summary>Who may use the service: a key revoked, a database restored (see <see cref="Tenancy.ApiKeyCache"/>).</summary>
    public const string Access = "access";

    public required string Name { get; init; }
    public long Value { get; set; }

    /// <summary>Counts a change; inside the caller's transaction, if there is one, so it commits with the change it announces.</summary>
    public static Task BumpAsync(StorageDb db, string name, CancellationToken cancellationToken) =>
        db.ChangeCounters.Where(c => c.Name == name).ExecuteUpdateAsync(set => set.SetProperty(c => c.Value, c => c.Value + 1), cancellationToken);

    /// <summary>The counter's value (one read by primary key); throws before the migration that adds it.</summary>
    public static readonly Func<StorageDb, string, CancellationToken, Task<long>> ReadAsync =
        EF.CompileAsyncQuery((StorageDb db, string name, CancellationToken _) => db.ChangeCounters.Where(c => c.Name == name).Select(c => c.Value).Single());
}
