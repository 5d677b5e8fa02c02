using System.Security.Claims;
using StorageApi.Problems;

namespace StorageApi.Tenancy;

public static class CallerExtensions
{
    /// <summary>The caller's tenant. Endpoints that call this require the tenant policy, so it is always there.</summary>
    public static string TenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthentication.TenantClaim) ?? throw ApiProblemException.Unauthorized("A tenant API key is required.");
}
