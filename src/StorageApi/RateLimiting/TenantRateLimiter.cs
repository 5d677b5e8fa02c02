using System.Collections.Concurrent;
using System.Diagnostics;
using StorageApi.Observability;
using StorageApi.Problems;

namespace StorageApi.RateLimiting;

/// <summary>
/// Lets requests and uploads in, or refuses them with a 429, per tenant. Each tenant has its own buckets, built from its
/// limits in force and following them when they change; the anonymous visitors of a tenant's public objects and signed
/// links share a second set, so they can neither lock the tenant out of its own API nor reach other tenants.
/// </summary>
public sealed class TenantRateLimiter(EffectiveLimits effective, TimeProvider clock, StorageMetrics metrics)
{
    /// <summary>An upload slot frees when another upload ends, which no one can foresee: try again in a second.</summary>
    private const long UploadSlotRetrySeconds = 1;

    private readonly ConcurrentDictionary<(string Tenant, bool Anonymous), LimitPartition> _partitions = new();

    /// <summary>Takes one request from the caller's bucket, or throws a 429; the response will carry the RateLimit-* headers.</summary>
    public async ValueTask AdmitRequestAsync(HttpContext context, string tenantId, bool anonymous = false)
    {
        var partition = await PartitionAsync(tenantId, anonymous, context.RequestAborted);
        var answer = partition.Requests.TryTake(1, 1);
        if (!answer.Granted)
        {
            var limits = partition.Limits;
            var who = anonymous ? $"Requests without a key for objects of tenant '{tenantId}'" : $"Tenant '{tenantId}'";
            throw Refused(tenantId, anonymous ? LimitNames.AnonymousRequests : LimitNames.Requests,
                $"{who} exceeded {limits.RequestsPerMinute} requests per minute (bursts up to {limits.RequestBurst}); retry in {answer.RetryAfterSeconds} s.",
                answer.State, answer.RetryAfterSeconds);
        }
        RateLimitHeaders.AddWhenStarting(context.Response, answer.State);
    }

    /// <summary>
    /// Lets an upload in before its body is read, or throws a 429: when all the tenant's upload slots are taken, or when
    /// its upload bytes cannot cover the declared length (a length over the whole budget waits for a full bucket), or
    /// when a body of unknown length arrives while the tenant is still in debt from earlier ones.
    /// </summary>
    public async ValueTask<UploadAdmission> AdmitUploadAsync(HttpContext context, string tenantId)
    {
        var partition = await PartitionAsync(tenantId, anonymous: false, context.RequestAborted);
        var limits = partition.Limits;
        if (!partition.Uploads.TryEnter(limits.ConcurrentUploads))
            throw Refused(tenantId, LimitNames.ConcurrentUploads,
                $"Tenant '{tenantId}' already has {limits.ConcurrentUploads} uploads in progress, its limit; retry when one has finished.",
                new BucketState(limits.ConcurrentUploads, 0, UploadSlotRetrySeconds), UploadSlotRetrySeconds);

        var declared = context.Request.ContentLength;
        var answer = declared is { } length
            ? partition.UploadBytes.TryTake(length, Math.Min(length, limits.UploadBytesPerMinute))
            : partition.UploadBytes.TryTake(0, 1);
        if (!answer.Granted)
        {
            partition.Uploads.Leave();
            var what = declared is null ? "earlier uploads are paid for" : $"this upload's {declared} bytes fit";
            throw Refused(tenantId, LimitNames.UploadBytes,
                $"Tenant '{tenantId}' may upload {limits.UploadBytesPerMinute} bytes per minute; {what} in {answer.RetryAfterSeconds} s.",
                answer.State, answer.RetryAfterSeconds);
        }
        return new UploadAdmission(context.Request, partition, declared ?? 0);
    }

    private async ValueTask<LimitPartition> PartitionAsync(string tenantId, bool anonymous, CancellationToken cancellationToken)
    {
        var limits = await effective.ForAsync(tenantId, cancellationToken);
        var partition = _partitions.GetOrAdd((tenantId, anonymous), static (_, state) => new LimitPartition(state.limits, state.clock), (limits, clock));
        partition.Follow(limits);
        return partition;
    }

    private ApiProblemException Refused(string tenantId, string limit, string detail, BucketState state, long retryAfterSeconds)
    {
        metrics.RateLimited.Add(1, new TagList { { "tenant", tenantId }, { "limit", limit } });
        return RateLimitProblems.TooManyRequests(limit, detail, state, retryAfterSeconds);
    }
}
