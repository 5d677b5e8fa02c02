using Microsoft.EntityFrameworkCore.Storage;

namespace StorageApi.Data;

/// <summary>
/// One database transaction and what must follow its commit in memory (waking the embedding worker, changing a loaded
/// vector index). <see cref="CommitAsync"/> commits and then runs those; a unit disposed without a commit rolls back
/// and runs none, so nothing acts on a change that was never stored, and no writer has to remember a second call.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly IDbContextTransaction _transaction;
    private readonly List<Action> _afterCommit = [];

    private UnitOfWork(IDbContextTransaction transaction) => _transaction = transaction;

    public static async Task<UnitOfWork> BeginAsync(StorageDb db, CancellationToken cancellationToken) =>
        new(await db.Database.BeginTransactionAsync(cancellationToken));

    /// <summary>Runs <paramref name="action"/> once the unit has committed; never when it rolls back.</summary>
    public void AfterCommit(Action action) => _afterCommit.Add(action);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _transaction.CommitAsync(cancellationToken);
        foreach (var action in _afterCommit) action();
        _afterCommit.Clear();
    }

    public ValueTask DisposeAsync() => _transaction.DisposeAsync();
}
