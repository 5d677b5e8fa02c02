using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Configuration;
using StorageApi.ObjectStores;

namespace StorageApi.Tests.Infrastructure;

/// <summary>
/// The real service on real Kestrel at 127.0.0.1 (random port) with a real SQLite file in a temp folder.
/// Settings come from the same reader as in production, fed a dictionary instead of the process environment.
/// </summary>
public sealed class RunningService : IAsyncDisposable
{
    public const string AdminKey = "test-admin-8d3f1b2c9e7a4d6f0b5c2e8a1f7d3b9c";
    public const string SigningKey = "test-signing-4a9c2e7f1b8d3c6e0a5f2d9b7c1e4a8f";

    private readonly WebApplication _app;
    private readonly TempFolder? _ownedFolder;

    private RunningService(WebApplication app, string root, TempFolder? ownedFolder)
    {
        _app = app;
        _ownedFolder = ownedFolder;
        Root = root;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Admin = CreateClient(AdminKey);
        Anonymous = CreateClient(null);
    }

    public Uri BaseAddress { get; }
    public string Root { get; }
    public HttpClient Admin { get; }
    public HttpClient Anonymous { get; }
    public IServiceProvider Services => _app.Services;
    public StorageSettings Settings => _app.Services.GetRequiredService<StorageSettings>();
    public ManualClock? Clock { get; private init; }

    /// <summary>
    /// Starts a service. Variables default to a development instance with known test keys in <paramref name="root"/>
    /// (a new temp folder when null); <paramref name="variables"/> add to or replace them (null removes one).
    /// <paramref name="configureServices"/> may add services or options (log collectors, shorter waits).
    /// </summary>
    public static async Task<RunningService> StartAsync(
        IDictionary<string, string?>? variables = null, string? root = null, ManualClock? clock = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var owned = root is null ? new TempFolder() : null;
        root ??= owned!.Path;
        var environment = new Dictionary<string, string?>
        {
            [KnownVariables.Urls] = "http://127.0.0.1:0",
            [KnownVariables.AdminApiKey] = AdminKey,
            [KnownVariables.SigningKey] = SigningKey,
            [KnownVariables.DataDirectory] = Path.Combine(root, "data"),
            // The hashing embedder: exact, instant and word-based, which the search tests' expectations are written for;
            // the local model has tests of its own (LocalModelSearchTests).
            [KnownVariables.Embedder] = StorageSettings.Embedders.Hashing,
        };
        foreach (var (key, value) in await TestBlobStore.VariablesForAsync(root)) environment[key] = value;
        foreach (var (key, value) in variables ?? new Dictionary<string, string?>()) environment[key] = value;
        if (!environment.ContainsKey(KnownVariables.DatabaseUrl) && await TestDatabase.DatabaseUrlForAsync(root) is { } database)
            environment[KnownVariables.DatabaseUrl] = database;

        var report = ConfigurationReader.Read(environment.Where(e => e.Value is not null).ToDictionary(), root);
        if (!report.IsValid) throw new InvalidOperationException("test configuration is invalid: " + string.Join("; ", report.Errors));

        var app = StorageApplication.Build(report.Settings!, configureServices: services =>
        {
            if (clock is not null) services.AddSingleton<TimeProvider>(clock);
            configureServices?.Invoke(services);
        });
        await StorageApplication.PrepareAsync(app);
        await app.StartAsync();
        return new RunningService(app, root, owned) { Clock = clock };
    }

    public HttpClient CreateClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Creates a tenant and a key through the admin API and returns a client that uses the key.</summary>
    public async Task<TenantClient> CreateTenantAsync(string id)
    {
        var created = await Admin.PostAsJsonAsync("/v1/admin/tenants", new { id, name = $"Tenant {id}" });
        created.EnsureSuccessStatusCode();
        var key = await CreateKeyAsync(id);
        return new TenantClient(id, key, CreateClient(key));
    }

    public async Task<string> CreateKeyAsync(string tenantId)
    {
        var response = await Admin.PostAsJsonAsync($"/v1/admin/tenants/{tenantId}/keys", new { name = "test" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>Runs SQL on the service's own database, whichever provider it is: for tests that break it on purpose.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(
            scope.ServiceProvider.GetRequiredService<StorageApi.Data.StorageDb>().Database, sql);
    }

    /// <summary>Moves the service's database to migration <paramref name="target"/> (back, to stage an older database, or null: the latest).</summary>
    public async Task MigrateToAsync(string? target)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>(
            scope.ServiceProvider.GetRequiredService<StorageApi.Data.StorageDb>()).MigrateAsync(target);
    }

    /// <summary>Every key in the blob store (file: or S3), except its owner marker: lets tests check that nothing stored was lost or added.</summary>
    public IReadOnlyList<string> BlobFiles() =>
        [.. Services.GetRequiredService<ObjectStoreFactory>().Blobs.ListAsync("", CancellationToken.None).ToBlockingEnumerable()
            .Select(k => k.Key).Where(k => !k.StartsWith(StoreOwnership.MarkerKey, StringComparison.Ordinal))];

    /// <summary>The key under which the tenant's bytes with this sha256 are stored, from its blob row.</summary>
    public async Task<string> BlobKeyOfAsync(string tenantId, string sha256)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageApi.Data.StorageDb>();
        return Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.Blobs)
            .Single(b => b.TenantId == tenantId && b.Sha256 == sha256).Key;
    }

    /// <summary>Writes in progress or left behind in a file blob store (S3 keeps unfinished multipart uploads out of sight).</summary>
    public IReadOnlyList<string> StagingFiles()
    {
        var folder = Settings.BlobStoreUrl.Folder is { } root ? Path.Combine(root, FileObjectStore.StagingFolderName) : null;
        return folder is not null && Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder)] : [];
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        _ownedFolder?.Dispose();
    }
}

public sealed record TenantClient(string Id, string Key, HttpClient Http);
