using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Storagectl.Planning;

/// <summary>Who holds a tenant's deploy lock, since when, for which version.</summary>
public sealed record LockOwner(string Who, DateTimeOffset Since, string Version, string Token)
{
    /// <summary>deploy or rollback; null in locks taken before it was recorded.</summary>
    public string? Kind { get; init; }

    /// <summary>Where the storagectl process holding the lock runs (null in older locks).</summary>
    public string? Machine { get; init; }
    public int? Pid { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions.Compact);

    public static LockOwner? FromJson(string json)
    {
        try { return JsonSerializer.Deserialize<LockOwner>(json, JsonOptions.Compact); }
        catch (JsonException) { return null; }
    }
}

/// <summary>
/// What one tenant's folder on one host looks like before a deploy, read by <see cref="HostCommands.ProbeCommands.TenantFolder"/>.
/// Env values arrive as sha256 hashes: the probe never sends a secret back over the wire, yet the plan can still say "changed".
/// </summary>
public sealed record HostState(
    string? CurrentVersion,
    Slot? ActiveSlot,
    IReadOnlyList<string> Releases,
    IReadOnlyDictionary<string, string> EnvHashes,
    LockOwner? Lock,
    bool LockUnreadable)
{
    public static readonly HostState Empty = new(null, null, [], new Dictionary<string, string>(), null, false);

    /// <summary>The manifests of the kept releases, by version (releases unpacked before manifests were kept have none).</summary>
    public IReadOnlyDictionary<string, Artifact> Manifests { get; init; } = new Dictionary<string, Artifact>();

    /// <summary>The slots whose service is running (the active one, and an idle one left behind).</summary>
    public IReadOnlyList<Slot> RunningSlots { get; init; } = [];

    /// <summary>The rollback window's record: the slot kept running after the last switch, its release, and until when; null when none.</summary>
    public WarmSlot? Warm { get; init; }

    /// <summary>Resident memory of each running slot's process, in KiB.</summary>
    public IReadOnlyDictionary<Slot, long> RssKib { get; init; } = new Dictionary<Slot, long>();

    /// <summary>The warm slot when a switch back to it can serve <paramref name="version"/> at <paramref name="now"/>: inside its window, running, not active.</summary>
    public WarmSlot? WarmFor(string version, DateTimeOffset now) =>
        Warm is { } warm && warm.Version == version && warm.Until > now && warm.Slot != ActiveSlot && RunningSlots.Contains(warm.Slot) ? warm : null;

    /// <summary>The newest lines of deploys.jsonl, oldest first.</summary>
    public IReadOnlyList<DeployRecord> History { get; init; } = [];

    /// <summary>The model folders the host keeps for all its tenants (&lt;root&gt;/models): a bundle listed here is not uploaded again.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>
    /// The newest line of deploys.jsonl that changed the tenant (not a <see cref="DeployPlan.Routine"/> run: a probe,
    /// backup or checklist), however far back: what `status` shows as the last deploy.
    /// </summary>
    public DeployRecord? LastChange { get; init; }

    /// <summary>The sha256 in the kept manifest of the release `current` points at: the bytes that run here; null when unknown.</summary>
    public string? RunningSha256 => CurrentVersion is { } version && Manifests.GetValueOrDefault(version)?.Sha256 is { Length: > 0 } sha256 ? sha256 : null;

    /// <summary>How many lines of deploys.jsonl a probe reads unless asked for more.</summary>
    public const int RecentHistory = 20;

    /// <summary>Reads the answer of <see cref="HostCommands.ProbeCommands.TenantFolder"/>.</summary>
    public static HostState Parse(string probeOutput)
    {
        string? current = null;
        Slot? active = null;
        var releases = new List<string>();
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        LockOwner? owner = null;
        var lockUnreadable = false;
        var manifests = new Dictionary<string, Artifact>(StringComparer.Ordinal);
        var history = new List<DeployRecord>();
        DeployRecord? lastChange = null;
        var running = new List<Slot>();
        WarmSlot? warm = null;
        var rss = new Dictionary<Slot, long>();
        var models = new List<string>();
        foreach (var line in probeOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = line.IndexOf('=');
            if (separator < 0) continue;
            var (key, value) = (line[..separator], line[(separator + 1)..]);
            switch (key)
            {
                case "current": current = value; break;
                case "active": active = SlotNames.Parse(value); break;
                case "warm": warm = WarmSlot.Parse(value); break;
                case "rss.blue" or "rss.green":
                    if (SlotNames.Parse(key[4..]) is { } measured && long.TryParse(value, out var kib)) rss[measured] = kib;
                    break;
                case "release": releases.Add(value); break;
                case "model": models.Add(value); break;
                case "manifest":
                    if (Artifact.FromJson(value) is { Version: not null } manifest) manifests[manifest.Version] = manifest;
                    break;
                case "history":
                    if (DeployRecord.FromJson(value) is { } record) history.Add(record);
                    break;
                case "lastchange":
                    lastChange = DeployRecord.FromJson(value);
                    break;
                case "lock":
                    owner = LockOwner.FromJson(value);
                    lockUnreadable = owner is null;
                    break;
                case "slot.blue" or "slot.green":
                    if (value == "running" && SlotNames.Parse(key[5..]) is { } slot) running.Add(slot);
                    break;
                default:
                    if (key.StartsWith("env.")) env[key[4..]] = value;
                    break;
            }
        }
        return new HostState(current, active, releases, env, owner, lockUnreadable) { Manifests = manifests, History = history, RunningSlots = running, LastChange = lastChange, Warm = warm, RssKib = rss, Models = models };
    }

    /// <summary>The hash the probe computes for a value, to compare what is on the host with what would be written.</summary>
    public static string HashValue(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}

/// <summary>The record of a rollback window (<see cref="TenantPaths.Warm"/>): "green 1.4.0 1790000000".</summary>
public sealed record WarmSlot(Slot Slot, string Version, DateTimeOffset Until)
{
    public static WarmSlot? Parse(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var slot, var version, var until]
        && SlotNames.Parse(slot) is { } parsed && long.TryParse(until, out var seconds)
            ? new WarmSlot(parsed, version, DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;
}

internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);
    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
