using System.Text.RegularExpressions;
using StorageApi.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Storagectl.Configuration;

/// <summary>
/// Reads deploy/storagectl.yml into a <see cref="DeployConfig"/>, or throws a <see cref="ConfigException"/> that lists
/// every problem at once, each with file, line and key. Unknown keys are errors: a typo must not silently mean "default".
/// </summary>
public static partial class DeployConfigLoader
{
    /// <summary>Variables storagectl writes itself, so the data can never end up inside a release folder.</summary>
    public static readonly IReadOnlySet<string> ManagedVariables = new HashSet<string> { KnownVariables.DataDirectory, KnownVariables.Urls, KnownVariables.PublicBaseUrl };

    public static DeployConfig Load(string file)
    {
        if (!File.Exists(file)) throw new ConfigException($"{file}: no such file");
        return Parse(File.ReadAllText(file), file);
    }

    public static DeployConfig Parse(string yaml, string file)
    {
        var errors = new ConfigErrors(file);
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                   ?? throw new ConfigException($"{file}:1: the file must be a mapping with hosts and environments");
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{file}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }

        var config = Read(new YamlSection(root, "", errors), file, errors);
        if (errors.Any) throw new ConfigException(string.Join(Environment.NewLine, errors.All));
        return config;
    }

    private static DeployConfig Read(YamlSection root, string file, ConfigErrors errors)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var service = ReadService(root.Section("service"));
        var health = ReadHealth(root.Section("health"));
        var lockSection = root.Section("lock");
        var locking = new LockSettings(lockSection?.Int("stale_after_minutes", 30, 1, 24 * 60) ?? 30);
        lockSection?.RejectUnknownKeys();
        var kept = root.Int("releases_kept", 5, 2, 100);
        var rollbackWindow = root.Int("rollback_window_seconds", 600, 0, 24 * 60 * 60);
        var secretsFile = root.String("secrets_file") is { } secrets ? ExpandPath(secrets, directory) : null;
        var sshConfig = root.String("ssh_config") is { } ssh ? ExpandPath(ssh, directory) : null;

        var hosts = root.NamedSections("hosts", required: true).ToDictionary(h => h.Name, h => ReadHost(h.Name, h.Section));
        var environmentSections = root.NamedSections("environments", required: true);
        var environments = environmentSections.ToDictionary(e => e.Name, e => ReadEnvironment(e.Name, e.Section, hosts));
        root.RejectUnknownKeys();

        CheckPromotions(environmentSections, environments);
        CheckPortsAndFolders(root, environments, hosts);
        return new DeployConfig(file, service, health, locking, kept, secretsFile, sshConfig, hosts, environments) { RollbackWindowSeconds = rollbackWindow };
    }

    private static ServiceSettings ReadService(YamlSection? section)
    {
        var settings = new ServiceSettings(
            section?.String("name") ?? "storage-api",
            section?.String("project") ?? "src/StorageApi",
            section?.String("executable") ?? "storage-api");
        section?.RejectUnknownKeys();
        return settings;
    }

    private static HealthSettings ReadHealth(YamlSection? section)
    {
        var path = section?.String("path") ?? "/health";
        if (!path.StartsWith('/')) section!.Error("path", $"must start with '/', not '{path}'");
        else if (!UrlPathPattern().IsMatch(path)) section!.Error("path", $"must be a URL path (letters, digits and -._~!$&()*+,;=:@%/?), not '{path}'");
        var settings = new HealthSettings(
            path,
            section?.Int("timeout_seconds", 5, 1, 300) ?? 5,
            section?.Int("retries", 150, 1, 10000) ?? 150,
            section?.Number("interval_seconds", 0.2, 0.1, 60) ?? 0.2,
            section?.Int("drain_seconds", 2, 0, 300) ?? 2,
            section?.Int("bake_seconds", 10, 0, 3600) ?? 10,
            section?.Fraction("max_error_rate", 0.01) ?? 0.01);
        section?.RejectUnknownKeys();
        return settings;
    }

    private static HostConfig ReadHost(string name, YamlSection section)
    {
        if (!NamePattern().IsMatch(name)) section.Error("", $"host name '{name}' must be lower-case letters, digits and dashes");
        var root = section.String("root", required: true) ?? "/";
        if (!root.StartsWith('/')) section.Error("root", $"must be an absolute path, not '{root}'");
        var host = new HostConfig(
            name,
            section.String("address", required: true) ?? name,
            section.String("user"),
            section.Int("port", 22, 1, 65535),
            root.TrimEnd('/'),
            section.Choice("transport", HostTransport.Ssh),
            section.Choice("service_manager", ServiceManager.Systemd),
            section.Choice("proxy", ProxyKind.Nginx),
            section.String("nginx_config") ?? "/etc/nginx/nginx.conf",
            section.String("nginx_sites_dir") ?? "/etc/nginx/conf.d") { PrivateAddress = section.String("private_address") };
        section.RejectUnknownKeys();
        return host;
    }

    private static EnvironmentConfig ReadEnvironment(string name, YamlSection section, IReadOnlyDictionary<string, HostConfig> hosts)
    {
        var branch = section.String("branch");
        var tags = section.String("tags");
        var auto = section.Bool("auto_deploy", false);
        var promoteFrom = section.String("promote_from");
        var tenants = section.NamedSections("tenants", required: true)
            .ToDictionary(t => t.Name, t => ReadTenant(t.Name, t.Section, hosts));
        var rings = section.ListOfLists("rings");
        if (rings.Count == 0) rings = [[.. tenants.Keys]];
        else CheckRings(section, rings, tenants.Keys);
        section.RejectUnknownKeys();
        return new EnvironmentConfig(name, branch, tags, auto, tenants, rings) { PromoteFrom = promoteFrom };
    }

    /// <summary>promote_from must name another environment: a typo would leave production without its rule, or with one nobody can pass.</summary>
    private static void CheckPromotions(IEnumerable<(string Name, YamlSection Section)> sections, IReadOnlyDictionary<string, EnvironmentConfig> environments)
    {
        foreach (var (name, section) in sections)
        {
            if (environments[name].PromoteFrom is not { } from) continue;
            if (from == name) section.Error("promote_from", $"names {name} itself: an environment promotes what another one ran");
            else if (!environments.ContainsKey(from))
                section.Error("promote_from", $"names '{from}', which is not an environment (known: {string.Join(", ", environments.Keys)})");
        }
    }

    private static void CheckRings(YamlSection section, IReadOnlyList<IReadOnlyList<string>> rings, IEnumerable<string> tenants)
    {
        var seen = new HashSet<string>();
        foreach (var tenant in rings.SelectMany(r => r))
        {
            if (!tenants.Contains(tenant)) section.Error("rings", $"names '{tenant}', which is not a tenant of this environment");
            else if (!seen.Add(tenant)) section.Error("rings", $"names '{tenant}' twice");
        }
        foreach (var missing in tenants.Where(t => !seen.Contains(t)))
            section.Error("rings", $"leaves out tenant '{missing}': every tenant belongs to exactly one ring");
    }

    private static TenantConfig ReadTenant(string name, YamlSection section, IReadOnlyDictionary<string, HostConfig> hosts)
    {
        if (!NamePattern().IsMatch(name)) section.Error("", $"tenant name '{name}' must be lower-case letters, digits and dashes");
        var hostNames = section.List("hosts", required: true);
        foreach (var unknown in hostNames.Where(h => !hosts.ContainsKey(h)))
            section.Error("hosts", $"names '{unknown}', which is not under hosts");
        var port = section.Int("port", 0, 1, 65535, required: true);
        var slots = section.List("slot_ports").Select(p => int.TryParse(p, out var n) ? n : -1).ToList();
        var known = hostNames.Where(hosts.ContainsKey).Select(h => hosts[h]).ToList();
        var needsSlots = known.Any(h => h.Proxy == ProxyKind.Nginx);
        if (needsSlots && (slots.Count != 2 || slots.Any(p => p is < 1 or > 65535) || slots[0] == slots[1] || slots.Contains(port)))
            section.Error("slot_ports", "must be two different ports, other than port, for the blue and green slots behind nginx");
        if (known.Count > 0 && !needsSlots && slots.Count > 0) section.Error("slot_ports", "only mean something behind nginx (proxy: nginx)");

        var publicUrl = section.String("public_url");
        if (publicUrl is not null && !IsPublicUrl(publicUrl))
            section.Error("public_url", $"must be an absolute http:// or https:// URL without query or credentials, such as https://files.example.com, not '{publicUrl}'");

        var envSection = section.Section("env");
        var secretsSection = section.Section("secrets");
        var env = envSection?.Texts() ?? new Dictionary<string, string>();
        var secrets = secretsSection?.Texts() ?? new Dictionary<string, string>();
        if (envSection is not null) CheckEnv(name, envSection, env);
        if (secretsSection is not null) CheckSecrets(secretsSection, env, secrets);
        section.RejectUnknownKeys();
        return new TenantConfig(name, hostNames, port, slots, env, secrets, publicUrl?.TrimEnd('/'));
    }

    private static void CheckEnv(string tenant, YamlSection section, IReadOnlyDictionary<string, string> env)
    {
        foreach (var (key, value) in env)
        {
            if (!VariablePattern().IsMatch(key)) section.Error(key, "must be an UPPER_CASE variable name");
            else if (UnknownVariable(key) is { } unknown) section.Error(key, unknown);
            else if (key == KnownVariables.PublicBaseUrl) section.Error(key, "is written from the tenant's public_url; set public_url instead");
            else if (ManagedVariables.Contains(key)) section.Error(key, "is set by storagectl for every slot; remove it");
            else if (SecretPattern().IsMatch(key)) section.Error(key, "looks like a secret: list it under secrets with the name of the variable that holds it");
            else if (key == KnownVariables.TenantId && value != tenant) section.Error(key, $"is '{value}' but the tenant is '{tenant}': one tenant's instance must never serve another");
            else if (PasswordInUrlPattern().IsMatch(value)) section.Error(key, "holds a password: move the whole value under secrets");
        }
    }

    private static void CheckSecrets(YamlSection section, IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, string> secrets)
    {
        foreach (var (key, source) in secrets)
        {
            if (!VariablePattern().IsMatch(key)) section.Error(key, "must be an UPPER_CASE variable name");
            else if (UnknownVariable(key) is { } unknown) section.Error(key, unknown);
            else if (env.ContainsKey(key)) section.Error(key, "is also under env; a variable is either a secret or not");
            if (!VariablePattern().IsMatch(source)) section.Error(key, $"must name the variable holding the secret (UPPER_CASE), not '{source}'");
        }
    }

    /// <summary>
    /// Why <paramref name="key"/> is not a variable the service reads, or null when it is one. A typo would otherwise be
    /// written to .env and ignored, leaving the setting at its default.
    /// </summary>
    private static string? UnknownVariable(string key) =>
        KnownVariables.All.Contains(key, StringComparer.Ordinal) ? null
        : $"is not a variable the service reads" + ((KnownVariables.LookAlikeOf(key) ?? ConfigNames.Closest(key, KnownVariables.All)) is { } meant
            ? $" (did you mean '{meant}'?)" : $"; `storage-api variables` lists them");

    /// <summary>Two tenants on one host must not share a port or a folder, whatever their environment.</summary>
    private static void CheckPortsAndFolders(YamlSection root, IReadOnlyDictionary<string, EnvironmentConfig> environments, IReadOnlyDictionary<string, HostConfig> hosts)
    {
        var ports = new Dictionary<(string Host, int Port), string>();
        var folders = new Dictionary<(string Host, string Tenant), string>();
        foreach (var environment in environments.Values)
        foreach (var tenant in environment.Tenants.Values)
        foreach (var host in tenant.Hosts.Where(hosts.ContainsKey))
        {
            var owner = $"{environment.Name}/{tenant.Name}";
            if (!folders.TryAdd((host, tenant.Name), owner))
                root.Error("environments", $"{owner} and {folders[(host, tenant.Name)]} would share the folder {hosts[host].Root}/{tenant.Name} on host {host}");
            foreach (var port in tenant.SlotPorts.Prepend(tenant.Port).Distinct())
                if (!ports.TryAdd((host, port), owner))
                    root.Error("environments", $"{owner} and {ports[(host, port)]} both use port {port} on host {host}");
        }
    }

    internal static bool IsPublicUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;

    private static string ExpandPath(string path, string relativeTo) =>
        path.StartsWith("~/") ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
        : Path.GetFullPath(path, relativeTo);

    /// <summary>Host and tenant names: they become folder names, unit names and nginx site names.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    internal static partial Regex NamePattern();

    /// <summary>What RFC 3986 allows in a path and query, less quotes: no spaces, nothing a shell would read.</summary>
    [GeneratedRegex(@"^/[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*$")]
    private static partial Regex UrlPathPattern();

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex VariablePattern();

    [GeneratedRegex("(KEY|SECRET|PASSWORD|TOKEN|DSN)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretPattern();

    [GeneratedRegex("://[^/@:]+:[^/@]+@")]
    private static partial Regex PasswordInUrlPattern();
}
