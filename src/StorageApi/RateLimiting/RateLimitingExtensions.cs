namespace StorageApi.RateLimiting;

public static class RateLimitingExtensions
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<EffectiveLimits>();
        services.AddSingleton<TenantRateLimiter>();
        services.AddScoped<TenantLimitSettings>();
        return services;
    }

    /// <summary>After authentication, which names the tenant; before authorization, so refused calls count as well.</summary>
    public static IApplicationBuilder UseTenantRateLimits(this IApplicationBuilder app) => app.UseMiddleware<TenantRequestLimiting>();
}
