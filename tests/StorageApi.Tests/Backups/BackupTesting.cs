using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Backups;
using StorageApi.Configuration;
using StorageApi.ObjectStores;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Backups;

/// <summary>
/// A backup target folder and key for one test, services that back up to it (the scheduler held back, so the test says
/// when a backup runs), and restores into a fresh data folder and database.
/// </summary>
public sealed class BackupTesting : IDisposable
{
    private readonly TempFolder _folder = new("backup-");
    private readonly List<TempFolder> _roots = [];

    public string Target => _folder.Combine("target");
    public string Key { get; } = NewKey();

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(36)); // 48 characters

    public Dictionary<string, string?> Variables(string? key = null, int keepHourly = 24, int keepDaily = 14) => new()
    {
        [KnownVariables.BackupUrl] = Target,
        [KnownVariables.BackupKey] = key ?? Key,
        [KnownVariables.BackupKeepHourly] = keepHourly.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [KnownVariables.BackupKeepDaily] = keepDaily.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A service that backs up to <see cref="Target"/> only when the test asks (its scheduler never comes due).</summary>
    public Task<RunningService> StartAsync(Dictionary<string, string?>? variables = null, ManualClock? clock = null, string? root = null) =>
        RunningService.StartAsync(variables ?? Variables(), root: root, clock: clock,
            configureServices: services => services.AddSingleton(new BackupSchedule { FirstRunAfter = TimeSpan.FromDays(3650) }));

    public static Task<BackupResult> BackUpAsync(RunningService service) =>
        service.Services.GetRequiredService<BackupRunner>().RunAsync(CancellationToken.None);

    /// <summary>A fresh folder whose service would get an empty data directory and database (its own PostgreSQL database there).</summary>
    public string NewRoot()
    {
        var root = new TempFolder();
        _roots.Add(root);
        return root.Path;
    }

    /// <summary>Runs restore-from's work with the configuration a service rooted at <paramref name="root"/> has, without starting it.</summary>
    public async Task<RestoreResult> RestoreAsync(string root, DateTime? at = null, string? key = null)
    {
        await using var services = await ServicesForAsync(root, key);
        return await services.GetRequiredService<BackupRestorer>().RestoreAsync(ObjectStoreUrl.Parse(Target, "/"), at, CancellationToken.None);
    }

    private async Task<ServiceProvider> ServicesForAsync(string root, string? key)
    {
        var environment = new Dictionary<string, string?>(Variables(key))
        {
            [KnownVariables.AdminApiKey] = RunningService.AdminKey,
            [KnownVariables.SigningKey] = RunningService.SigningKey,
            [KnownVariables.DataDirectory] = Path.Combine(root, "data"),
        };
        if (await TestDatabase.DatabaseUrlForAsync(root) is { } database) environment[KnownVariables.DatabaseUrl] = database;
        var report = ConfigurationReader.Read(environment.Where(e => e.Value is not null).ToDictionary(), root);
        if (!report.IsValid) throw new InvalidOperationException(string.Join("; ", report.Errors));
        return new ServiceCollection().AddLogging().AddStorageServices(report.Settings!).BuildServiceProvider();
    }

    /// <summary>Every file of the target with the sha256 of its bytes: what "nothing changed" compares.</summary>
    public IReadOnlyDictionary<string, string> TargetFiles() => Directory.Exists(Target)
        ? Directory.EnumerateFiles(Target, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Target, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))))
        : new Dictionary<string, string>();

    public void Dispose()
    {
        foreach (var root in _roots) root.Dispose();
        _folder.Dispose();
    }
}

/// <summary>What a tenant's objects are, as the API serves them: metadata and the sha256 of the bytes downloaded.</summary>
public static class ObjectSnapshots
{
    /// <summary>Every object of <paramref name="tenant"/>'s client: its metadata and the sha256 of its downloaded bytes.</summary>
    public static async Task<Dictionary<string, (string Metadata, string ContentSha256)>> ReadAllAsync(TenantClient tenant)
    {
        var list = JsonDocument.Parse(await tenant.Http.GetStringAsync("/v1/objects?limit=1000")).RootElement;
        var result = new Dictionary<string, (string, string)>();
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var id = item.GetProperty("id").GetString()!;
            var metadata = await tenant.Http.GetStringAsync($"/v1/objects/{id}");
            var bytes = await tenant.Http.GetByteArrayAsync($"/v1/objects/{id}/content");
            result[id] = (metadata, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        return result;
    }

    /// <summary>Uploads <paramref name="bytes"/> and returns the new object's id.</summary>
    public static async Task<string> UploadAsync(HttpClient tenant, string filename, byte[] bytes, IDictionary<string, string>? fields = null)
    {
        var response = await tenant.PostAsync("/v1/objects", Uploads.Multipart(filename, bytes, "application/octet-stream", fields));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);
}
