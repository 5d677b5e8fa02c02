using StorageApi.Data;

namespace StorageApi.WriteHolds;

/// <summary>
/// Refuses every request that could change data while writes are held: any method but GET, HEAD, OPTIONS and TRACE
/// on a route that exists, tenant and admin routes alike (except <see cref="ChangesNothing"/> ones, such as signing a
/// link, and <see cref="ControlsWriteHold"/> ones, which set and lift the hold itself), before its body is read.
///
/// Why the order is safe (storagectl relies on it): a request first counts itself in <see cref="WritesInFlight"/>, then
/// reads the hold from the database, and stays counted until it has been served. /health reads the hold, then the
/// count. If /health saw the hold, any write that read "not held" read it before the hold was committed, so after it
/// had counted itself: /health sees it in the count until it has ended. A write that counts itself later reads the
/// hold and is refused. So once /health shows held and 0 writes in flight, this instance accepts no write any more.
/// </summary>
public sealed class WriteHoldGate(RequestDelegate next, WritesInFlight inFlight)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!CouldWrite(context))
        {
            await next(context);
            return;
        }
        using (inFlight.Enter())
        {
            var db = context.RequestServices.GetRequiredService<StorageDb>();
            if (await WriteHold.ReadAsync(db, context.RequestAborted) is { } hold) throw WriteHoldProblems.Held(hold);
            await next(context);
        }
    }

    /// <summary>No endpoint: a 404 changes nothing, and stays a 404.</summary>
    public static bool CouldWrite(HttpContext context) =>
        context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<ChangesNothing>() is null && endpoint.Metadata.GetMetadata<ControlsWriteHold>() is null && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                                              || HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method));
}
