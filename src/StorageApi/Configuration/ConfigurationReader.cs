using StorageApi.RateLimiting;
using StorageApi.Tenancy;
using Envs = StorageApi.Configuration.StorageSettings.Environments;

namespace StorageApi.Configuration;

/// <summary>The outcome of reading the configuration: settings when usable, and every problem found.</summary>
public sealed record ConfigurationReport(StorageSettings? Settings, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool IsValid => Settings is not null && Errors.Count == 0;
}

/// <summary>
/// Turns environment variables (plus a <c>.env</c> file in the working directory; the real environment wins)
/// into <see cref="StorageSettings"/>. Outside development it is strict and reports every problem at once.
/// </summary>
public static class ConfigurationReader
{
    public const long DefaultMaxUploadBytes = 5L * 1024 * 1024 * 1024;
    public const long DefaultMinFreeDiskMegabytes = 512;
    public const string DefaultUrls = "http://localhost:5080";

    public static ConfigurationReport ReadProcessEnvironment(string workingDirectory)
    {
        var environment = System.Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        return Read(environment, workingDirectory);
    }

    public static ConfigurationReport Read(IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var fromFile = DotEnvFile.Read(Path.Combine(workingDirectory, ".env"), errors);
        var variables = new Dictionary<string, string>(fromFile, StringComparer.Ordinal);
        foreach (var (key, value) in environment)
            if (value is not null) variables[key] = value;

        string? Get(string name) => variables.TryGetValue(name, out var v) && v.Trim().Length > 0 ? v.Trim() : null;

        var environmentName = (Get(KnownVariables.Environment) ?? Envs.Development).ToLowerInvariant();
        if (!Envs.All.Contains(environmentName))
        {
            errors.Add($"{KnownVariables.Environment} is '{environmentName}'; expected one of {string.Join(", ", Envs.All)}");
            environmentName = Envs.Production; // judge the rest strictly
        }
        var strict = environmentName != Envs.Development;
        var problems = strict ? errors : warnings;

        foreach (var name in fromFile.Keys.Concat(environment.Keys).Distinct())
            if (KnownVariables.LookAlikeOf(name) is { } known)
                problems.Add($"{name} is not a known variable; did you mean {known}?");

        var dataDirectory = ReadDataDirectory(Get(KnownVariables.DataDirectory), strict, workingDirectory, errors);
        var database = ReadDatabase(Get(KnownVariables.DatabaseUrl), dataDirectory, strict, workingDirectory, errors);

        var tenantId = Get(KnownVariables.TenantId);
        if (tenantId is not null && !TenantIds.IsValid(tenantId))
            errors.Add($"{KnownVariables.TenantId} '{tenantId}' is not a valid tenant id ({TenantIds.Rule})");

        var adminKey = Get(KnownVariables.AdminApiKey);
        var signingKey = Get(KnownVariables.SigningKey);
        foreach (var (name, value) in new[] { (KnownVariables.AdminApiKey, adminKey), (KnownVariables.SigningKey, signingKey) })
        {
            if (!strict && value is null) continue; // development generates its own
            if (SecretRules.Problem(name, value) is { } problem) problems.Add(problem);
        }
        if (adminKey is not null && adminKey == signingKey)
            problems.Add($"{KnownVariables.AdminApiKey} and {KnownVariables.SigningKey} must differ");

        var openAiBaseUrl = ReadHttpUrl(KnownVariables.OpenAiBaseUrl, Get(KnownVariables.OpenAiBaseUrl), errors);
        if (Get(KnownVariables.OpenAiApiKey) is null && (Get(KnownVariables.OpenAiBaseUrl) ?? Get(KnownVariables.EmbeddingModel)) is not null)
            warnings.Add($"{KnownVariables.OpenAiBaseUrl} or {KnownVariables.EmbeddingModel} is set but {KnownVariables.OpenAiApiKey} is not, " +
                         "so search uses the built-in local embedder (servers that need no key, such as Ollama, accept any value)");
        var sentryDsn = ReadHttpUrl(KnownVariables.SentryDsn, Get(KnownVariables.SentryDsn), errors);
        var urls = Get(KnownVariables.Urls) ?? DefaultUrls;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!url.StartsWith("http://", StringComparison.Ordinal) && !url.StartsWith("https://", StringComparison.Ordinal))
                errors.Add($"{KnownVariables.Urls} entry '{url}' must start with http:// or https://");

        var publicBaseUrl = ReadPublicBaseUrl(Get(KnownVariables.PublicBaseUrl), errors);
        // Not required, so deploys written before it keep starting; links then follow the request, as a trusted proxy forwards it.
        if (strict && Get(KnownVariables.PublicBaseUrl) is null)
            warnings.Add($"{KnownVariables.PublicBaseUrl} is not set, so signed links take their address from each request " +
                         "(X-Forwarded-Proto and X-Forwarded-Host from a proxy on this machine, else the Host header); set it to the address clients use");

        var maxUpload = ReadNumber(KnownVariables.MaxUploadBytes, Get(KnownVariables.MaxUploadBytes), DefaultMaxUploadBytes, 1, errors);
        var minFreeMb = ReadNumber(KnownVariables.MinFreeDiskMegabytes, Get(KnownVariables.MinFreeDiskMegabytes), DefaultMinFreeDiskMegabytes, 0, errors);
        var defaultLimits = ReadDefaultLimits(environmentName, Get, errors);

        if (dataDirectory is null || database is null) return new ConfigurationReport(null, errors, warnings);
        var settings = new StorageSettings
        {
            Environment = environmentName,
            TenantId = tenantId,
            Database = database,
            DataDirectory = dataDirectory,
            AdminApiKey = adminKey,
            SigningKey = signingKey,
            OpenAiApiKey = Get(KnownVariables.OpenAiApiKey),
            OpenAiBaseUrl = openAiBaseUrl,
            EmbeddingModel = Get(KnownVariables.EmbeddingModel),
            SentryDsn = sentryDsn,
            Urls = urls,
            PublicBaseUrl = publicBaseUrl,
            MaxUploadBytes = maxUpload,
            MinFreeDiskBytes = minFreeMb * 1024 * 1024,
            DefaultLimits = defaultLimits,
        };
        return new ConfigurationReport(settings, errors, warnings);
    }

    private static string? ReadDataDirectory(string? value, bool strict, string workingDirectory, List<string> errors)
    {
        if (value is null)
        {
            if (!strict) return Path.GetFullPath("data", workingDirectory);
            errors.Add($"{KnownVariables.DataDirectory} is missing (an absolute folder outside the release, e.g. /srv/storage/acme/shared/data)");
            return null;
        }
        if (strict && !Path.IsPathRooted(value))
        {
            errors.Add($"{KnownVariables.DataDirectory} '{value}' is a relative path; use an absolute one");
            return null;
        }
        var full = Path.GetFullPath(value, workingDirectory);
        if (strict && IsInsideApplicationFolder(full))
            errors.Add($"{KnownVariables.DataDirectory} '{full}' lies inside the application folder {AppContext.BaseDirectory}; data must live outside releases");
        return full;
    }

    private static DatabaseUrl? ReadDatabase(string? value, string? dataDirectory, bool strict, string workingDirectory, List<string> errors)
    {
        if (value is null)
        {
            if (!strict) return dataDirectory is null ? null : DatabaseUrl.ForSqliteFile(Path.Combine(dataDirectory, "storage.db"));
            errors.Add($"{KnownVariables.DatabaseUrl} is missing (sqlite:////absolute/path.db or postgresql://user:pass@host:5432/db)");
            return null;
        }
        try
        {
            var database = DatabaseUrl.Parse(value, workingDirectory, out var isRelative);
            if (strict && isRelative)
                errors.Add($"{KnownVariables.DatabaseUrl} '{value}' is a relative sqlite path; use sqlite:////absolute/path.db");
            else if (strict && database.SqlitePath is { } path && IsInsideApplicationFolder(path))
                errors.Add($"{KnownVariables.DatabaseUrl} '{value}' lies inside the application folder {AppContext.BaseDirectory}; data must live outside releases");
            return database;
        }
        catch (FormatException e)
        {
            errors.Add($"{KnownVariables.DatabaseUrl}: {e.Message}");
            return null;
        }
    }

    private static bool IsInsideApplicationFolder(string path)
    {
        var app = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory) + Path.DirectorySeparatorChar;
        return (Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar).StartsWith(app, StringComparison.Ordinal);
    }

    private static string? ReadHttpUrl(string name, string? value, List<string> errors)
    {
        if (value is null) return null;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return value;
        errors.Add($"{name} is not an http(s) URL");
        return null;
    }

    /// <summary>An absolute http(s) URL without query, fragment or credentials; a trailing slash is dropped.</summary>
    private static Uri? ReadPublicBaseUrl(string? value, List<string> errors)
    {
        if (value is null) return null;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0)
            return new Uri(value.TrimEnd('/'));
        errors.Add($"{KnownVariables.PublicBaseUrl} '{value}' must be an absolute http:// or https:// URL without query, fragment or credentials, " +
                   "e.g. https://files.example.com");
        return null;
    }

    /// <summary>The environment's default rate limits, each replaceable by a variable.</summary>
    private static TenantLimits ReadDefaultLimits(string environmentName, Func<string, string?> get, List<string> errors)
    {
        var defaults = TenantLimits.DefaultsFor(environmentName);
        long Read(string name, LimitRange range, long fallback)
        {
            if (get(name) is not { } value) return fallback;
            if (long.TryParse(value, out var number) && range.Contains(number)) return number;
            errors.Add($"{name} '{value}' must be {range.Rule}");
            return fallback;
        }
        return new TenantLimits(
            (int)Read(KnownVariables.RequestsPerMinute, LimitRanges.RequestsPerMinute, defaults.RequestsPerMinute),
            (int)Read(KnownVariables.RequestBurst, LimitRanges.RequestBurst, defaults.RequestBurst),
            Read(KnownVariables.UploadBytesPerMinute, LimitRanges.UploadBytesPerMinute, defaults.UploadBytesPerMinute),
            (int)Read(KnownVariables.ConcurrentUploads, LimitRanges.ConcurrentUploads, defaults.ConcurrentUploads));
    }

    private static long ReadNumber(string name, string? value, long fallback, long minimum, List<string> errors)
    {
        if (value is null) return fallback;
        if (long.TryParse(value, out var number) && number >= minimum) return number;
        errors.Add($"{name} '{value}' must be a whole number of at least {minimum}");
        return fallback;
    }
}
