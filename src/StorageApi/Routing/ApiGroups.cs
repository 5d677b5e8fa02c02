using StorageApi.Tenancy;

namespace StorageApi.Routing;

/// <summary>
/// The groups every API endpoint is mapped on, each carrying who may call it and the problem responses any endpoint in
/// it can give, so an endpoint cannot forget its key check or leave them out of the OpenAPI document. Requests with a
/// tenant key are rate-limited before they reach any endpoint (see <c>TenantRequestLimiting</c>).
/// </summary>
public static class ApiGroups
{
    /// <summary>For a tenant's key: 401 without a valid key, 403 for the admin key, 429 when the tenant's limit is hit.</summary>
    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder routes, string prefix, string tag) =>
        routes.MapGroup(prefix).WithTags(tag)
            .RequireAuthorization(TenancyExtensions.TenantPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>For the admin key: 401 without a valid key, 403 for a tenant key. The admin key is never rate-limited.</summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder routes, string prefix, string tag) =>
        routes.MapGroup(prefix).WithTags(tag)
            .RequireAuthorization(TenancyExtensions.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
