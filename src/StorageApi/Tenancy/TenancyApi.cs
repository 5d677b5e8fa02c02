using StorageApi.Routing;

namespace StorageApi.Tenancy;

public sealed record CreateTenantRequest(string Id, string Name);
public sealed record CreateKeyRequest(string? Name);

public static class TenancyApi
{
    public static IEndpointRouteBuilder MapTenancyApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapAdminGroup("/v1/admin/tenants", "Admin");

        admin.MapPost("/", async (CreateTenantRequest request, TenantDirectory tenants, CancellationToken ct) =>
            {
                var tenant = await tenants.CreateTenantAsync(request.Id, request.Name, ct);
                return TypedResults.Created($"/v1/admin/tenants/{tenant.Id}", tenant);
            })
            .WithName("CreateTenant").WithSummary("Create a tenant")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapGet("/", (TenantDirectory tenants, CancellationToken ct) => tenants.ListTenantsAsync(ct))
            .WithName("ListTenants").WithSummary("List tenants");

        admin.MapGet("/{id}/keys", (string id, TenantDirectory tenants, CancellationToken ct) => tenants.ListKeysAsync(id, ct))
            .WithName("ListApiKeys").WithSummary("List a tenant's API keys (never the keys themselves)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapPost("/{id}/keys", async (string id, CreateKeyRequest request, TenantDirectory tenants, CancellationToken ct) =>
            {
                var key = await tenants.CreateKeyAsync(id, request.Name, ct);
                return TypedResults.Created($"/v1/admin/tenants/{id}/keys/{key.Id}", key);
            })
            .WithName("CreateApiKey").WithSummary("Create an API key; the key is shown only in this response")
            .ProducesProblem(StatusCodes.Status404NotFound);

        admin.MapDelete("/{id}/keys/{keyId}", async (string id, string keyId, TenantDirectory tenants, CancellationToken ct) =>
            {
                await tenants.RevokeKeyAsync(id, keyId, ct);
                return TypedResults.NoContent();
            })
            .WithName("RevokeApiKey").WithSummary("Revoke an API key at once")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }
}
