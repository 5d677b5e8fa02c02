using Microsoft.Extensions.Configuration.EnvironmentVariables;
using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Health;
using StorageApi.Objects;
using StorageApi.Observability;
using StorageApi.OpenApi;
using StorageApi.Problems;
using StorageApi.Proxy;
using StorageApi.RateLimiting;
using StorageApi.Routing;
using StorageApi.Search;
using StorageApi.Tenancy;
using StorageApi.WriteHolds;

namespace StorageApi;

/// <summary>Builds the web application from validated settings; used by <c>Program</c> and by the tests alike.</summary>
public static class StorageApplication
{
    public static WebApplication Build(StorageSettings settings, Action<IServiceCollection>? configureServices = null)
    {
        settings = DevelopmentSecrets.Fill(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = char.ToUpperInvariant(settings.Environment[0]) + settings.Environment[1..],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        ForgetHostEnvironmentVariables(builder.Configuration);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.AddObservability(settings);
        builder.WebHost.UseKestrel().UseUrls(settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .UseSockets(options =>
            {
                UnixSocketListeners.OpenToLocalUsers(options);
                // Read straight into a 4 KiB buffer instead of first waiting for data with an empty read: half the
                // receive calls of an upload (a 2 GiB one made a million), for 4 KiB held by each idle connection.
                options.WaitForDataBeforeAllocatingBuffer = false;
            });

        var services = builder.Services;
        services.AddApiProblems();
        services.AddStorageServices(settings);
        services.AddStorageOpenApi();
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
        app.UseWriteHolds();
        var api = app.MapGroup("").AnswerHeadLikeGet();
        api.MapHealthApi();
        api.MapTenancyApi();
        api.MapRateLimitsApi();
        api.MapObjectsApi();
        api.MapSearchApi();
        api.MapWriteHoldApi();
        api.MapVerifyApi();
        app.MapMetrics();
        app.MapStorageOpenApi();
        return app;
    }

    /// <summary>
    /// The settings are the one reading of the environment. The host reads it again (every variable, with Logging__*,
    /// Kestrel__*, ASPNETCORE_* and the like), which would let a variable the settings never checked change how the service runs.
    /// </summary>
    private static void ForgetHostEnvironmentVariables(ConfigurationManager configuration)
    {
        foreach (var source in configuration.Sources.OfType<EnvironmentVariablesConfigurationSource>().ToList())
            configuration.Sources.Remove(source);
    }

    /// <summary>Development databases migrate themselves; elsewhere the deploy runs <c>storage-api migrate</c> after a backup.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<StorageSettings>();
        Directory.CreateDirectory(settings.DataDirectory);
        if (settings.IsDevelopment) await app.Services.GetRequiredService<DatabaseMaintenance>().MigrateAsync();
    }
}
