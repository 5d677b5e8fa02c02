using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace StorageApi.ObjectStores;

/// <summary>
/// Turns what the SDK throws into <see cref="ObjectStoreUnavailableException"/> with a message an operator can act on:
/// the store's URL and why (unreachable, credentials refused, no such bucket, the store's own error).
/// </summary>
internal static class S3Errors
{
    private static readonly HashSet<string> CredentialCodes =
        ["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken", "InvalidSecurity"];

    /// <summary>Runs one SDK call; the caller's cancellation and non-SDK exceptions pass unchanged, store failures become unavailable.</summary>
    public static async Task<T> GuardAsync<T>(ObjectStoreUrl url, S3Settings settings, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            throw Unavailable(url, settings, e);
        }
    }

    public static async Task GuardAsync(ObjectStoreUrl url, S3Settings settings, Func<Task> call, CancellationToken cancellationToken) =>
        await GuardAsync(url, settings, async () => { await call(); return true; }, cancellationToken);

    public static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false, // the caller gave up
        AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException or OperationCanceledException or TimeoutException => true,
        _ => false,
    };

    public static bool IsCode(Exception e, params string[] codes) => e is AmazonS3Exception s3 && codes.Contains(s3.ErrorCode);

    /// <summary>A store that does not implement an optional operation (s3rver: 501 for ListMultipartUploads, 405 for AbortMultipartUpload).</summary>
    public static bool IsUnsupported(Exception e) =>
        e is AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.NotImplemented or System.Net.HttpStatusCode.MethodNotAllowed }
        || IsCode(e, "NotImplemented", "MethodNotAllowed");

    public static ObjectStoreUnavailableException Unavailable(ObjectStoreUrl url, S3Settings settings, Exception e) =>
        new($"object store {url} is unavailable: {Cause(url, settings, e)}", e);

    private static string Cause(ObjectStoreUrl url, S3Settings settings, Exception e)
    {
        var endpoint = settings.Endpoint is { Length: > 0 } given ? given : $"S3 in {settings.Region}";
        if (e is AmazonS3Exception s3 && !string.IsNullOrEmpty(s3.ErrorCode))
        {
            if (CredentialCodes.Contains(s3.ErrorCode)) return $"credentials refused ({s3.ErrorCode}: {s3.Message})";
            if (s3.ErrorCode == "NoSuchBucket") return $"bucket {url.Bucket} does not exist";
            return $"{s3.ErrorCode} (HTTP {(int)s3.StatusCode}): {s3.Message}";
        }
        var chain = Chain(e).ToList();
        // The socket's own words ("Connection refused", "No route to host") say most; HttpRequestException wraps them.
        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket) return $"{endpoint} is unreachable ({socket.Message})";
        foreach (var inner in chain)
        {
            switch (inner)
            {
                case HttpRequestException http: return $"{endpoint} is unreachable ({http.Message})";
                case TimeoutException or OperationCanceledException: return $"{endpoint} did not answer in time";
                case IOException io: return $"the connection to {endpoint} broke ({io.Message})";
            }
        }
        return e switch
        {
            // Answers without a body (HEAD) carry no error code: a 403 is still a refusal of the credentials.
            AmazonServiceException { StatusCode: System.Net.HttpStatusCode.Forbidden } => $"credentials refused (HTTP 403 from {endpoint})",
            AmazonServiceException { StatusCode: var status } service when (int)status >= 400 => $"HTTP {(int)status} from {endpoint}: {service.Message}",
            _ => e.Message,
        };
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException) yield return inner;
    }
}
