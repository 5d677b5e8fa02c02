using DotEnv;
using StorageApi.ObjectStores;
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
        var dotEnv = DotEnvParser.ReadFile(Path.Combine(workingDirectory, ".env"));
        errors.AddRange(dotEnv.Errors);
        var fromFile = dotEnv.Values;
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
        var (embedder, modelDirectory) = ReadEmbedder(Get, workingDirectory, errors);
        if (Search.Vectors.Graph.GraphLibrary.LoadProblem() is { } graphLibrary) errors.Add(graphLibrary);
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
        var blobDirectory = dataDirectory is null ? "/" : Path.Combine(dataDirectory, "blobs");
        var blobStore = ReadStoreUrl(KnownVariables.BlobStoreUrl, Get(KnownVariables.BlobStoreUrl) ?? ObjectStoreUrl.DefaultFile, blobDirectory, errors);
        var s3 = ReadS3(Get, errors);
        var backup = ReadBackup(Get, blobDirectory, errors);
        if ((blobStore?.IsS3 == true || backup?.Url.IsS3 == true) && s3.AccessKeyId is null)
            warnings.Add($"{KnownVariables.S3AccessKeyId} and {KnownVariables.S3SecretAccessKey} are not set, so S3 requests use the AWS SDK's own " +
                         "credentials (instance role, ~/.aws)");

        if (dataDirectory is null || database is null || blobStore is null) return new ConfigurationReport(null, errors, warnings);
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
            Embedder = embedder,
            EmbeddingModelDirectory = modelDirectory,
            SentryDsn = sentryDsn,
            Urls = urls,
            PublicBaseUrl = publicBaseUrl,
            MaxUploadBytes = maxUpload,
            MinFreeDiskBytes = minFreeMb * 1024 * 1024,
            DefaultLimits = defaultLimits,
            BlobStoreUrl = blobStore,
            S3 = s3,
            Backup = backup,
        };
        return new ConfigurationReport(settings, errors, warnings);
    }

    /// <summary>
    /// EMBEDDER, or by default OpenAI when OPENAI_API_KEY is set and the local sentence model otherwise. The local model
    /// is read from EMBEDDING_MODEL_DIR, or from models/all-MiniLM-L6-v2 beside the service, where a build places it and
    /// a deploy links the host's copy; both of its files are checked here, so a missing model stops the start, not a search.
    /// </summary>
    private static (string Embedder, string? ModelDirectory) ReadEmbedder(Func<string, string?> get, string workingDirectory, List<string> errors)
    {
        var hasKey = get(KnownVariables.OpenAiApiKey) is not null;
        var chosen = get(KnownVariables.Embedder)?.ToLowerInvariant();
        var embedder = chosen ?? (hasKey ? StorageSettings.Embedders.OpenAi : StorageSettings.Embedders.LocalMiniLm);
        if (!StorageSettings.Embedders.All.Contains(embedder))
        {
            errors.Add($"{KnownVariables.Embedder} is '{embedder}'; expected one of {string.Join(", ", StorageSettings.Embedders.All)}");
            return (StorageSettings.Embedders.Hashing, null);
        }
        if (embedder == StorageSettings.Embedders.OpenAi && !hasKey)
            errors.Add($"{KnownVariables.Embedder} is {embedder} but {KnownVariables.OpenAiApiKey} is not set");
        var given = get(KnownVariables.EmbeddingModelDirectory);
        var folder = given is not null ? Path.GetFullPath(given, workingDirectory) : DefaultModelDirectory;
        if (embedder != StorageSettings.Embedders.LocalMiniLm) return (embedder, given is null ? null : folder);
        var missing = new[] { "model.onnx", "vocab.txt" }.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (missing.Count > 0)
            errors.Add($"{KnownVariables.Embedder} is {embedder}{(chosen is null ? " (the default)" : "")} but {folder} has no {string.Join(" or ", missing)}: " +
                       $"set {KnownVariables.EmbeddingModelDirectory} to the folder of all-MiniLM-L6-v2, or {KnownVariables.Embedder}=hashing");
        return (embedder, folder);
    }

    /// <summary>Where a build places the local model and a deploy links the host's shared copy: beside the service.</summary>
    public static string DefaultModelDirectory => Path.Combine(AppContext.BaseDirectory, "models", "all-MiniLM-L6-v2");

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

    private static ObjectStoreUrl? ReadStoreUrl(string name, string value, string defaultFolder, List<string> errors)
    {
        try
        {
            return ObjectStoreUrl.Parse(value, defaultFolder);
        }
        catch (FormatException e)
        {
            errors.Add($"{name}: {e.Message}");
            return null;
        }
    }

    private static S3Settings ReadS3(Func<string, string?> get, List<string> errors)
    {
        var endpoint = get(KnownVariables.S3Endpoint);
        if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            errors.Add($"{KnownVariables.S3Endpoint} '{endpoint}' is not an http(s) URL, e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000");
        var pathStyle = get(KnownVariables.S3ForcePathStyle)?.ToLowerInvariant();
        if (pathStyle is not (null or "true" or "false" or "1" or "0"))
            errors.Add($"{KnownVariables.S3ForcePathStyle} '{pathStyle}' must be true or false");
        var keyId = get(KnownVariables.S3AccessKeyId);
        var secret = get(KnownVariables.S3SecretAccessKey);
        if ((keyId is null) != (secret is null))
            errors.Add($"{KnownVariables.S3AccessKeyId} and {KnownVariables.S3SecretAccessKey} go together: set both or neither");
        return new S3Settings
        {
            Endpoint = endpoint,
            Region = get(KnownVariables.S3Region) ?? S3Settings.DefaultRegion,
            ForcePathStyle = pathStyle is "true" or "1",
            AccessKeyId = keyId,
            SecretAccessKey = secret,
        };
    }

    private static BackupSettings? ReadBackup(Func<string, string?> get, string blobDirectory, List<string> errors)
    {
        var interval = ReadInterval(get(KnownVariables.BackupInterval), errors);
        var keepHourly = ReadNumber(KnownVariables.BackupKeepHourly, get(KnownVariables.BackupKeepHourly), BackupSettings.DefaultKeepHourly, 0, errors);
        var keepDaily = ReadNumber(KnownVariables.BackupKeepDaily, get(KnownVariables.BackupKeepDaily), BackupSettings.DefaultKeepDaily, 0, errors);
        var key = get(KnownVariables.BackupKey);
        if (get(KnownVariables.BackupUrl) is not { } value)
        {
            if (key is not null) errors.Add($"{KnownVariables.BackupKey} is set but {KnownVariables.BackupUrl} is not: say where backups go, or remove the key");
            return null;
        }
        var url = ReadStoreUrl(KnownVariables.BackupUrl, value, blobDirectory, errors);
        if (value.Trim() == ObjectStoreUrl.DefaultFile)
        {
            errors.Add($"{KnownVariables.BackupUrl} 'file:' is the blob folder itself; name another disk (file:///mnt/backup) or an s3:// bucket");
            return null;
        }
        // A backup without its key is unreadable, so the key is checked as strictly as the others everywhere.
        if (SecretRules.Problem(KnownVariables.BackupKey, key) is { } problem) errors.Add(problem);
        if (keepHourly + keepDaily == 0) errors.Add($"{KnownVariables.BackupKeepHourly} and {KnownVariables.BackupKeepDaily} are both 0: retention would keep no snapshot");
        if (url is null || key is null) return null;
        return new BackupSettings { Url = url, Interval = interval, Key = key, KeepHourly = (int)keepHourly, KeepDaily = (int)keepDaily };
    }

    /// <summary>A duration such as 15m, 1h, 90s or 2d; at least a minute.</summary>
    private static TimeSpan ReadInterval(string? value, List<string> errors)
    {
        if (value is null) return BackupSettings.DefaultInterval;
        var unit = value.Length > 1 ? value[^1] : ' ';
        if (long.TryParse(value[..^1], out var number) && number > 0)
        {
            TimeSpan? interval = unit switch
            {
                's' => TimeSpan.FromSeconds(number),
                'm' => TimeSpan.FromMinutes(number),
                'h' => TimeSpan.FromHours(number),
                'd' => TimeSpan.FromDays(number),
                _ => null,
            };
            if (interval >= TimeSpan.FromMinutes(1)) return interval.Value;
        }
        errors.Add($"{KnownVariables.BackupInterval} '{value}' must be a duration of at least a minute, such as 15m, 1h or 1d");
        return BackupSettings.DefaultInterval;
    }

    private static long ReadNumber(string name, string? value, long fallback, long minimum, List<string> errors)
    {
        if (value is null) return fallback;
        if (long.TryParse(value, out var number) && number >= minimum) return number;
        errors.Add($"{name} '{value}' must be a whole number of at least {minimum}");
        return fallback;
    }
}
