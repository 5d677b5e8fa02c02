namespace Storagectl.Planning;

/// <summary>
/// The layout storagectl keeps on a host for one tenant. Releases are immutable; everything that must survive a
/// deploy (the .env, the database, the blobs, the backups) lives under shared/, never inside a release.
/// </summary>
public sealed record TenantPaths(string HostRoot, string Tenant)
{
    public string Root => $"{HostRoot}/{Tenant}";
    /// <summary>The host's embedding models, shared by its tenants: one folder per bundle (<see cref="ModelBundle.Folder"/>).</summary>
    public string Models => $"{HostRoot}/models";
    public string Model(ModelBundle bundle) => $"{Models}/{bundle.Folder}";
    /// <summary>Where this tenant's deploy receives the bundle (a dot name: the probe does not list it as a model).</summary>
    public string ModelUpload(ModelBundle bundle) => $"{Models}/.{bundle.Folder}.{Tenant}.tar";
    public string Releases => $"{Root}/releases";
    public string Release(string version) => $"{Releases}/{version}";
    /// <summary>The artifact's manifest, kept inside each release folder.</summary>
    public const string ManifestFile = "release.json";
    public string Current => $"{Root}/current";
    public string Shared => $"{Root}/shared";
    public string EnvFile => $"{Shared}/.env";
    public string Data => $"{Shared}/data";
    public string Database => $"{Data}/storage.db";
    public string Backups => $"{Shared}/backups";
    public string Logs => $"{Shared}/logs";
    public string Uploads => $"{Root}/uploads";
    public string Slots => $"{Root}/slots";
    public string SlotRelease(Slot slot) => $"{Slots}/{slot.Name()}";
    public string SlotEnv(Slot slot) => $"{Shared}/slot-{slot.Name()}.env";
    /// <summary>Pid files and sockets; outside shared/ (0700) so that nginx can reach the sockets.</summary>
    public string Run => $"{Root}/run";
    public string SlotPid(Slot slot) => $"{Run}/{slot.Name()}.pid";
    /// <summary>Where the slot's service listens for nginx, beside its TCP port.</summary>
    public string SlotSocket(Slot slot) => $"{Run}/{slot.Name()}.sock";
    /// <summary>The symlink nginx connects through: it names the active slot's socket.</summary>
    public string ActiveSocket => $"{Run}/active.sock";
    public string SlotLog(Slot slot) => $"{Logs}/{slot.Name()}.log";
    public string History => $"{Root}/deploys.jsonl";
    /// <summary>The rollback window: "slot version until" (Unix seconds) of the slot kept running, warm, after a switch.</summary>
    public string Warm => $"{Root}/warm";
    public string Lock => $"{Root}/deploy.lock";
    public string LockOwner => $"{Lock}/owner.json";

    /// <summary>The folders a deploy and provision create (before anything is written into them).</summary>
    public IReadOnlyList<string> Folders => [Releases, Data, Backups, Logs, Uploads, Slots, Run];
}

/// <summary>Blue and green: the two places a tenant's service can run behind nginx, so the new one starts beside the old.</summary>
public enum Slot { Blue, Green }

public static class SlotNames
{
    public static string Name(this Slot slot) => slot == Slot.Blue ? "blue" : "green";
    public static Slot Other(this Slot slot) => slot == Slot.Blue ? Slot.Green : Slot.Blue;
    public static Slot? Parse(string? name) => name switch { "blue" => Slot.Blue, "green" => Slot.Green, _ => null };
}
