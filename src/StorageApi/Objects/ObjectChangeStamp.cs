using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StorageApi.Data;

namespace StorageApi.Objects;

/// <summary>
/// Every SaveChanges that changes or deletes an object or a blob row also moves the objects counter, in the same
/// transaction, so no writer has to remember it and other instances forget their <see cref="ObjectContentCache"/>
/// within a second; this instance forgets its own once the change has committed. Bulk updates
/// (ExecuteUpdate/ExecuteDelete) bypass this and call <see cref="ChangeCounter.BumpAsync"/> themselves.
/// </summary>
public sealed class ObjectChangeStamp(ObjectContentCache cache) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ForgetIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ForgetIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetIfCommitted(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIfCommitted(eventData.Context); // it may have committed after all; forgetting costs a read
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => ForgetIfCommitted(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIfCommitted(eventData.Context); // cancelled while committing: it may have committed
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => ForgetPending(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetPending(eventData.Context); // a commit that failed on this side may have committed on the server's
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => ForgetPending(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetPending(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => ForgetPending(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetPending(eventData.Context); // forgetting too much costs a read; a rollback after a partial commit is never guessed at
        return Task.CompletedTask;
    }

    private static void Stamp(DbContext? context)
    {
        if (context is not StorageDb db) return;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.Entity is StoredObject or Blob && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                ChangeCounter.BumpWithSave(db, ChangeCounter.Objects);
                db.ObjectChangesPending = true;
                return;
            }
        }
    }

    /// <summary>A SaveChanges outside an explicit transaction has committed when it returns; inside one, the commit forgets.</summary>
    private void ForgetIfCommitted(DbContext? context)
    {
        if (context is StorageDb { Database.CurrentTransaction: null }) ForgetPending(context);
    }

    private void ForgetPending(DbContext? context)
    {
        if (context is not StorageDb { ObjectChangesPending: true } db) return;
        db.ObjectChangesPending = false;
        cache.Forget();
    }
}
