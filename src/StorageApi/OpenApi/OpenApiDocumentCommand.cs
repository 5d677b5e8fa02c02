using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using StorageApi.Configuration;

namespace StorageApi.OpenApi;

/// <summary>
/// <c>storage-api openapi</c>: prints the OpenAPI document the server serves, without serving, so linters and client
/// generators can have it in CI. The application starts on a throwaway development configuration in a temporary
/// folder, with a server that listens nowhere (endpoints are only known once the application has started), and no logs.
/// </summary>
public static class OpenApiDocumentCommand
{
    public static async Task<int> RunAsync(TextWriter output)
    {
        var folder = Directory.CreateTempSubdirectory("storage-api-openapi-");
        try
        {
            var report = ConfigurationReader.Read(new Dictionary<string, string?>
            {
                [KnownVariables.DataDirectory] = Path.Combine(folder.FullName, "data"),
                [KnownVariables.AdminApiKey] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                [KnownVariables.SigningKey] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            }, folder.FullName);
            await using var app = StorageApplication.Build(report.Settings!, configureServices: services =>
            {
                services.AddSingleton<IServer, NoServer>();
                services.AddLogging(logging => logging.ClearProviders());
            });
            await StorageApplication.PrepareAsync(app);
            await app.StartAsync();
            var document = await app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>(OpenApiExtensions.DocumentName).GetOpenApiDocumentAsync();
            await app.StopAsync();
            document.SerializeAsV31(new OpenApiJsonWriter(output));
            await output.WriteLineAsync();
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();
        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public void Dispose() { }
    }
}
