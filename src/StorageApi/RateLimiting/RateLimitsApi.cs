using StorageApi.Routing;

namespace StorageApi.RateLimiting;

public static class RateLimitsApi
{
    public static IEndpointRouteBuilder MapRateLimitsApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapAdminGroup("/v1/admin/tenants", "Admin").ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapGet("/{id}/limits", (string id, TenantLimitSettings limits, CancellationToken ct) => limits.GetAsync(id, ct))
            .WithName("GetTenantLimits").WithSummary("A tenant's rate limits: those in force, the overrides and the defaults");

        admin.MapPut("/{id}/limits", (string id, LimitOverrides overrides, TenantLimitSettings limits, CancellationToken ct) => limits.SetAsync(id, overrides, ct))
            .WithName("SetTenantLimits").WithSummary("Set a tenant's rate limits; in force for its next request")
            .WithDescription(string.Join(", ", LimitRanges.All.Select(r => $"{r.Name} ({r.Minimum}-{r.Maximum})")) +
                             "; a value left out or null returns to the environment's default.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return routes;
    }
}
