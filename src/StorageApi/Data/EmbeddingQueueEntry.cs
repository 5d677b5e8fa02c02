namespace StorageApi.Data;

/// <summary>
/// An object whose text must be (re)embedded. One row per object: enqueuing again bumps <see cref="Revision"/>, so the
/// worker, which read the object before the change, never removes an entry that asks for newer text.
/// </summary>
public sealed class EmbeddingQueueEntry
{
    public long Id { get; init; }
    public required string TenantId { get; init; }
    public required string ObjectId { get; init; }
    public long Revision { get; set; }
    /// <summary>When the object first waited for an up-to-date vector; re-enqueuing keeps it, so the age is honest.</summary>
    public DateTime EnqueuedAt { get; init; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public string? LastError { get; set; }
}
