using StorageApi.Routing;

namespace StorageApi.Objects;

/// <summary>The JSON line of <c>storage-api verify</c>, and each missing or corrupt blob named (what the verb writes to stderr).</summary>
public sealed record VerificationResponse(long Objects, long Blobs, long Bytes, string Digest, int Missing, int Corrupt, IReadOnlyList<string> Problems)
{
    public static VerificationResponse Of(VerificationReport report, IReadOnlyList<string> problems) =>
        new(report.Objects, report.Blobs, report.Bytes, report.Digest, report.Missing, report.Corrupt, problems);
}

/// <summary><c>GET /v1/admin/verify[?rehash=true]</c>: <c>storage-api verify</c> on the running instance (<see cref="StoreVerification"/>).</summary>
public static class StoreVerificationApi
{
    public static IEndpointRouteBuilder MapVerifyApi(this IEndpointRouteBuilder routes)
    {
        routes.MapAdminGroup("/v1/admin/verify", "Admin")
            .MapGet("/", async (bool? rehash, HttpContext context, CancellationToken ct) =>
            {
                var problems = new List<string>();
                var verification = ActivatorUtilities.CreateInstance<StoreVerification>(context.RequestServices);
                var report = await verification.VerifyAsync(rehash ?? false, problems.Add, ct);
                return VerificationResponse.Of(report, problems);
            })
            .WithName("VerifyStore")
            .WithSummary("Check that every object's blob is in the blob store (rehash=true: also its sha256); counts, bytes and the digest of every object")
            .WithDescription("What `storage-api verify` prints, plus the problems it names: digest is sha256 over `<tenant>\\t<objectId>\\t<sha256>\\t<size>\\n` " +
                             "of every object, ordered by tenant then id. 200 also when blobs are missing or corrupt: see missing, corrupt and problems.");
        return routes;
    }
}
