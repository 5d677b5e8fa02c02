using StorageApi.Problems;
using StorageApi.Routing;

namespace StorageApi.WriteHolds;

/// <summary>The body of <c>PUT /v1/admin/write-hold</c>; both optional (Retry-After defaults to 5 s).</summary>
public sealed record WriteHoldRequest(string? Reason = null, int? RetryAfterSeconds = null);

/// <summary>
/// <c>/v1/admin/write-hold</c>: what <c>storage-api write-hold status|on|off</c> do, on the running instance and through
/// the same <see cref="WriteHoldControl"/>, without a process start that builds the database model (about a second):
/// storagectl's move calls these inside its write hold.
/// </summary>
public static class WriteHoldApi
{
    public static IEndpointRouteBuilder MapWriteHoldApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapAdminGroup("/v1/admin/write-hold", "Admin");

        admin.MapGet("/", async (WriteHoldControl control, WritesInFlight inFlight, CancellationToken ct) =>
                WriteHoldView.Of(await control.ReadAsync(ct), inFlight))
            .WithName("GetWriteHold").WithSummary("Whether writes are held (read-only mode), since when, why, and the writes in flight on this instance");

        // Setting and lifting the hold pass the write-hold gate: a hold that refused its own lifting could only be ended
        // from a shell on the host, and changing its reason or Retry-After while held touches no tenant data.
        admin.MapPut("/", async (WriteHoldRequest? request, WriteHoldControl control, WritesInFlight inFlight, CancellationToken ct) =>
            {
                var reason = string.IsNullOrWhiteSpace(request?.Reason) ? null : request.Reason.Trim();
                var retryAfter = request?.RetryAfterSeconds ?? WriteHold.DefaultRetryAfterSeconds;
                if (!WriteHold.IsValidReason(reason))
                    throw ApiProblemException.BadRequest($"reason must be one line of at most {WriteHold.MaxReasonLength} characters (clients read it in every refused write)");
                if (!WriteHold.IsValidRetryAfter(retryAfter))
                    throw ApiProblemException.BadRequest($"retryAfterSeconds must be whole seconds from 1 to {WriteHold.MaxRetryAfterSeconds}");
                var (hold, _) = await control.HoldAsync(reason, retryAfter, ct);
                return WriteHoldView.Of(hold, inFlight);
            })
            .ControlsTheWriteHold()
            .WithName("HoldWrites").WithSummary("Hold writes on every instance on the database: changes answer 503 with Retry-After, reads go on")
            .WithDescription("A hold already in place keeps its time and takes the new reason and Retry-After. Wait for inFlightWrites 0 " +
                             "(GET, or the full /health) before relying on no write being accepted.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        admin.MapDelete("/", async (WriteHoldControl control, WritesInFlight inFlight, CancellationToken ct) =>
            {
                await control.ReleaseAsync(ct);
                return WriteHoldView.Of(null, inFlight);
            })
            .ControlsTheWriteHold()
            .WithName("ReleaseWrites").WithSummary("Accept writes again (no change when they were not held)");

        return routes;
    }
}
