namespace Storagectl.Configuration;

/// <summary>deploy/storagectl.yml, validated: what to ship, where, to whom and how carefully.</summary>
public sealed record DeployConfig(
    string SourceFile,
    ServiceSettings Service,
    HealthSettings Health,
    LockSettings Lock,
    int ReleasesKept,
    string? SecretsFile,
    string? SshConfigFile,
    IReadOnlyDictionary<string, HostConfig> Hosts,
    IReadOnlyDictionary<string, EnvironmentConfig> Environments)
{
    /// <summary>
    /// How long the slot a deploy or rollback switched away from keeps running, warm, after the switch: a rollback inside
    /// the window is a checked switch back to it. 0: it is drained and stopped at once.
    /// </summary>
    public int RollbackWindowSeconds { get; init; } = 600;

    public EnvironmentConfig Environment(string name) =>
        Environments.TryGetValue(name, out var environment)
            ? environment
            : throw new ConfigException($"{SourceFile}: no environment '{name}' (known: {string.Join(", ", Environments.Keys)})");
}

/// <summary>The application being shipped: the project to publish and the executable inside the artifact.</summary>
public sealed record ServiceSettings(string Name, string Project, string Executable);

/// <summary>
/// The health gate: what "the new version is up" means (200 from <paramref name="Path"/> with the expected version), how
/// often it asks (<paramref name="IntervalSeconds"/>, fractions allowed), how long at most the old slot gets to finish
/// its requests in flight before it stops (<paramref name="DrainSeconds"/>), and how long the bake window watches.
/// </summary>
public sealed record HealthSettings(string Path, int TimeoutSeconds, int Retries, double IntervalSeconds, int DrainSeconds, int BakeSeconds, double MaxErrorRate);

public sealed record LockSettings(int StaleAfterMinutes);

/// <summary>ssh for every real host; local runs the same commands on this machine without ssh.</summary>
public enum HostTransport { Ssh, Local }

public enum ServiceManager { Systemd, Process }

public enum ProxyKind { Nginx, None }

public sealed record HostConfig(
    string Name, string Address, string? User, int Port, string Root,
    HostTransport Transport, ServiceManager ServiceManager, ProxyKind Proxy, string NginxConfig, string NginxSitesDirectory)
{
    /// <summary>Blue/green behind nginx; without a proxy the only way is to stop the old process and start the new.</summary>
    public DeployStrategy Strategy => Proxy == ProxyKind.Nginx ? DeployStrategy.BlueGreen : DeployStrategy.Restart;

    /// <summary>Where other hosts reach this host's nginx (a private network), when that is not <see cref="Address"/>.</summary>
    public string? PrivateAddress { get; init; }

    /// <summary>The address another host's nginx forwards a moved tenant's clients to.</summary>
    public string ForwardAddress => PrivateAddress ?? Address;

    /// <summary>What ssh is given: the address, with the user when one is set.</summary>
    public string SshTarget => User is null ? Address : $"{User}@{Address}";
}

public enum DeployStrategy { BlueGreen, Restart }

public sealed record EnvironmentConfig(
    string Name, string? Branch, string? Tags, bool AutoDeploy,
    IReadOnlyDictionary<string, TenantConfig> Tenants, IReadOnlyList<IReadOnlyList<string>> Rings)
{
    /// <summary>
    /// The environment whose checklist must have passed an artifact (by sha256) before this one deploys it: production
    /// takes the bytes staging ran, not a build of its own. Null: no promotion rule.
    /// </summary>
    public string? PromoteFrom { get; init; }
}

/// <param name="Port">Where clients reach the tenant: nginx listens here, or the service itself without a proxy.</param>
/// <param name="SlotPorts">The two ports the blue and green slots listen on behind nginx.</param>
/// <param name="Env">Non-secret variables written to the host's shared/.env.</param>
/// <param name="Secrets">Service variable -> name of the variable on the deploying machine (or in the secrets file) holding its value.</param>
/// <param name="PublicUrl">Where clients reach the tenant (e.g. https://files.acme.example); written as PUBLIC_BASE_URL, so signed
/// links name it. Null: links follow each request as nginx forwards it (Host with its port, X-Forwarded-Proto).</param>
public sealed record TenantConfig(
    string Name, IReadOnlyList<string> Hosts, int Port, IReadOnlyList<int> SlotPorts,
    IReadOnlyDictionary<string, string> Env, IReadOnlyDictionary<string, string> Secrets, string? PublicUrl = null);

public sealed class ConfigException(string message) : Exception(message);
