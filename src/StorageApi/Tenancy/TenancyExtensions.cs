using Microsoft.AspNetCore.Authentication;
using StorageApi.Data;

namespace StorageApi.Tenancy;

public static class TenancyExtensions
{
    public const string AdminPolicy = "admin";
    public const string TenantPolicy = "tenant";

    public static IServiceCollection AddTenancy(this IServiceCollection services)
    {
        services.AddScoped<TenantDirectory>();
        services.AddChangeWatchedCache<ApiKeyCache>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, _ => { });
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(ApiKeyAuthentication.AdminRole))
            .AddPolicy(TenantPolicy, policy => policy.RequireClaim(ApiKeyAuthentication.TenantClaim));
        return services;
    }
}
