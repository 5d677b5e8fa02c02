using System.Globalization;
using System.Text;
using StorageApi.Configuration;
using Storagectl.Configuration;

namespace Storagectl.Onboarding;

/// <summary>The limits a tenant works under (README "Rate limits"): its env's RATE_LIMIT_* or the environment's defaults.</summary>
public sealed record TenantLimits(int RequestsPerMinute, int RequestBurst, long UploadBytesPerMinute, int ConcurrentUploads, long MaxUploadBytes)
{
    private const long GiB = 1024L * 1024 * 1024;

    /// <summary>The service's defaults (StorageApi's TenantLimits and StorageSettings): generous in development, the same in staging and production.</summary>
    public static TenantLimits Defaults(string environment) => environment == "development"
        ? new(10_000, 1_000, 10 * GiB, 16, 5 * GiB)
        : new(600, 100, 1 * GiB, 4, 5 * GiB);

    public static TenantLimits Of(TenantConfig tenant)
    {
        var defaults = Defaults(tenant.Env.GetValueOrDefault(KnownVariables.Environment) ?? "production");
        long Read(string variable, long fallback) => tenant.Env.TryGetValue(variable, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
        return new TenantLimits(
            (int)Read(KnownVariables.RequestsPerMinute, defaults.RequestsPerMinute), (int)Read(KnownVariables.RequestBurst, defaults.RequestBurst),
            Read(KnownVariables.UploadBytesPerMinute, defaults.UploadBytesPerMinute), (int)Read(KnownVariables.ConcurrentUploads, defaults.ConcurrentUploads),
            Read(KnownVariables.MaxUploadBytes, defaults.MaxUploadBytes));
    }
}

/// <summary>
/// What a new customer is handed: where the API is, the first key (once), a curl session that works as printed, the
/// limits and where the documentation is. The same Markdown is printed and written to &lt;tenant&gt;-setup.md (0600).
/// </summary>
public sealed record SetupSheet(string Tenant, string Name, string Environment, string BaseUrl, string? Key, TenantLimits Limits)
{
    /// <summary>The base URL: the tenant's public_url, else its nginx port on the host's address.</summary>
    public static string BaseUrlOf(TenantConfig tenant, HostConfig host) => tenant.PublicUrl ?? $"http://{host.Address}:{tenant.Port}";

    /// <summary>Upload, list, download: three lines for bash, the key in them (the sheet holds it anyway).</summary>
    public IReadOnlyList<string> CurlSession()
    {
        var auth = Quoted($"Authorization: Bearer {Key ?? "<your key>"}");
        var objects = BaseUrl + "/v1/objects";
        return
        [
            $"ID=$(echo 'hello from {Tenant}' | curl -fsS -H {auth} -F 'file=@-;filename=hello.txt' {Quoted(objects)} | sed -n 's/^{{\"id\":\"\\([^\"]*\\)\".*/\\1/p')",
            $"curl -fsS -H {auth} {Quoted(objects)}",
            $"curl -fsS -H {auth} {Quoted(objects)}/\"$ID\"/content",
        ];
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"# Storage API: setup for {Name}").AppendLine();
        text.AppendLine("> **This sheet holds a secret** (your API key). Keep it private; delete this file once the key is stored somewhere safe.").AppendLine();
        text.AppendLine("| | |").AppendLine("|---|---|");
        text.AppendLine($"| Tenant | `{Tenant}` ({Environment}) |");
        text.AppendLine($"| Base URL | {BaseUrl} |");
        text.AppendLine(Key is null
            ? "| API key | not shown here: the tenant had a key already (ask your operator for one) |"
            : $"| API key | `{Key}` (shown once: it is not stored in readable form anywhere) |");
        text.AppendLine($"| API reference | {BaseUrl}/openapi/v1.json (OpenAPI 3.1) |").AppendLine();
        text.AppendLine("Send the key with every request as `Authorization: Bearer <key>` (or `X-API-Key: <key>`). Try it in bash:").AppendLine();
        text.AppendLine("```bash");
        foreach (var line in CurlSession()) text.AppendLine(line);
        text.AppendLine("```").AppendLine();
        text.AppendLine("The first line uploads a small file and keeps its id, the second lists your objects, the third downloads the file.").AppendLine();
        text.AppendLine("## Limits").AppendLine();
        text.AppendLine($"- {Number(Limits.RequestsPerMinute)} requests per minute, bursts of up to {Number(Limits.RequestBurst)} at once");
        text.AppendLine($"- {Bytes(Limits.UploadBytesPerMinute)} of uploads per minute, {Limits.ConcurrentUploads} uploads at a time, {Bytes(Limits.MaxUploadBytes)} per file");
        text.AppendLine("- A request over a limit gets `429` with `Retry-After` (seconds) and `RateLimit-*` headers; wait that long and retry.").AppendLine();
        text.AppendLine("## Documentation").AppendLine();
        text.AppendLine($"- The API, every route and field: {BaseUrl}/openapi/v1.json (load it into Swagger UI, Postman, or a client generator such as Kiota).");
        text.AppendLine("- Errors are `application/problem+json` with a `detail` that says what to change.");
        return text.ToString();
    }

    private static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ');

    private static string Bytes(long bytes) => bytes % (1024L * 1024 * 1024) == 0 ? $"{bytes / (1024L * 1024 * 1024)} GiB"
        : bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";

    /// <summary>A bash word in double quotes, so "$ID" may follow; what double quotes would expand is escaped.</summary>
    private static string Quoted(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$").Replace("`", "\\`") + "\"";
}
