using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Storagectl.Dashboard;

/// <summary>The dashboard's parts and routes, registered as the service registers its own (Add… and Map…).</summary>
public static class DashboardExtensions
{
    /// <summary>The dashboard on 127.0.0.1 only; <paramref name="port"/> 0 lets the kernel choose a free one.</summary>
    public static WebApplication BuildDashboard(DashboardSettings settings, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = 64 * 1024; // forms of a few fields
            kestrel.AddServerHeader = false;
        });
        // A rollback started in the page is waited for when the dashboard stops (DashboardActivity).
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(10));
        builder.Services.AddDashboard(settings);
        var app = builder.Build();
        app.MapDashboard();
        return app;
    }

    public static IServiceCollection AddDashboard(this IServiceCollection services, DashboardSettings settings)
    {
        services.AddProblemDetails();
        services.AddSingleton(settings);
        services.AddSingleton<FleetWatcher>();
        services.AddHostedService(s => s.GetRequiredService<FleetWatcher>());
        services.AddSingleton<DashboardActivity>();
        services.AddHostedService(s => s.GetRequiredService<DashboardActivity>());
        services.AddSingleton<DashboardPage>();
        services.AddSingleton<DashboardActions>();
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseMiddleware<TokenGate>();
        app.MapGet("/", (DashboardPage page) => Results.Content(page.Render(DateTimeOffset.UtcNow).Value, "text/html; charset=utf-8"));
        app.MapGet("/static/{name}", (string name) => Asset(name));
        var actions = app.MapGroup("/actions");
        actions.MapPost("/rollback", (HttpContext context, DashboardActions handler) => handler.RollbackAsync(context));
        actions.MapPost("/release-lock", (HttpContext context, DashboardActions handler) => handler.ReleaseLockAsync(context));
        return app;
    }

    private static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch { ".css" => "text/css; charset=utf-8", ".js" => "text/javascript; charset=utf-8", _ => null };
        var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream($"dashboard/{name}");
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
