using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Health;
using StorageApi.Objects;
using StorageApi.Observability;
using StorageApi.Problems;
using StorageApi.Proxy;
using StorageApi.RateLimiting;
using StorageApi.Search;
using StorageApi.Tenancy;

namespace StorageApi;

/// <summary>Builds the web application from validated settings; used by <c>Program</c> and by the tests alike.</summary>
public static class StorageApplication
{
    public static WebApplication Build(StorageSettings settings, string[]? args = null, Action<IServiceCollection>? configureServices = null)
    {
        settings = DevelopmentSecrets.Fill(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            EnvironmentName = char.ToUpperInvariant(settings.Environment[0]) + settings.Environment[1..],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.AddObservability(settings);
        builder.WebHost.UseKestrel().UseUrls(settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .UseSockets(UnixSocketListeners.OpenToLocalUsers);

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddApiProblems();
        services.AddStorageData(settings);
        services.AddTenancy();
        services.AddObjects();
        services.AddSearch();
        services.AddRateLimits();
        services.AddHealth();
        services.AddOpenApi(options => options.DescribeMetrics());
        configureServices?.Invoke(services);

        var app = builder.Build();
        _ = app.Services.GetRequiredService<InstanceInfo>(); // start the uptime clock now
        app.UseTrustedProxyHeaders();
        app.UseRequestObservation();
        app.UseApiProblems();
        app.UseAuthentication();
        app.UseErrorTrackingTags();
        app.UseTenantRateLimits();
        app.UseAuthorization();
        app.MapHealthApi();
        app.MapTenancyApi();
        app.MapRateLimitsApi();
        app.MapObjectsApi();
        app.MapSearchApi();
        app.MapMetrics();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    /// <summary>Development databases migrate themselves; elsewhere the deploy runs <c>storage-api migrate</c> after a backup.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<StorageSettings>();
        Directory.CreateDirectory(settings.DataDirectory);
        if (settings.IsDevelopment) await app.Services.GetRequiredService<DatabaseMaintenance>().MigrateAsync();
    }
}
