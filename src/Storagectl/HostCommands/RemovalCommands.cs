using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>
/// Taking a tenant off a host without deleting anything: a final copy beside it, its site and unit gone, its folder moved
/// aside into <c>&lt;root&gt;/.removed/&lt;tenant&gt;-&lt;time&gt;/</c> (never deleted).
/// </summary>
public static class RemovalCommands
{
    /// <summary>Where everything of a removal is kept: the moved-aside tenant folder, the final copy and the nginx site.</summary>
    public static string AsideFolder(HostConfig host, string tenant, DateTimeOffset now) => $"{host.Root}/.removed/{tenant}-{now:yyyyMMddTHHmmssZ}";

    /// <summary>
    /// A consistent copy of the database (the service's online backup) and the blob files of the default store, into
    /// <paramref name="folder"/>/final-backup; run with the slots stopped, so nothing changes between the two.
    /// </summary>
    public static string FinalCopy(TenantPaths paths, string executable, string folder)
    {
        var copy = Shell.Quote(folder + "/final-backup");
        return $$"""
            set -e
            mkdir -p {{copy}} && chmod 700 {{copy}}
            cd {{Shell.Quote(paths.Shared)}}
            {{Shell.Quote(paths.Current + "/" + executable)}} backup {{copy}}/storage.db >&2
            if [ -d {{Shell.Quote(paths.Data + "/blobs")}} ]; then cp -a {{Shell.Quote(paths.Data + "/blobs")}} {{copy}}/blobs; fi
            cp -p .env {{copy}}/env 2>/dev/null || true
            echo "final copy: $(du -sh {{copy}} | cut -f1) in {{folder}}/final-backup (storage.db, blobs/, env)"
            """;
    }

    /// <summary>Keeps the site in the aside folder, removes it and reloads nginx; the tenant's port is closed afterwards.</summary>
    public static string RemoveSite(HostConfig host, TenantConfig tenant, string folder)
    {
        var site = Shell.Quote(ProxyCommands.SitePath(host, tenant));
        return $"mkdir -p {Shell.Quote(folder)} && if [ -f {site} ]; then cp -p {site} {Shell.Quote(folder + "/nginx-site.conf")} && rm -f {site} {site}.previous; fi; " +
               $"nginx -s reload -c {Shell.Quote(host.NginxConfig)} 2>/dev/null || true";
    }

    /// <summary>Puts back the site <see cref="RemoveSite"/> kept.</summary>
    public static string RestoreSite(HostConfig host, TenantConfig tenant, string folder) =>
        $"[ -f {Shell.Quote(folder + "/nginx-site.conf")} ] && cp -p {Shell.Quote(folder + "/nginx-site.conf")} {Shell.Quote(ProxyCommands.SitePath(host, tenant))}; " +
        $"nginx -s reload -c {Shell.Quote(host.NginxConfig)} 2>/dev/null || true";

    public static string RemoveUnit(string tenant)
    {
        var unit = Shell.Quote($"/etc/systemd/system/{ServiceCommands.TemplateUnitName(tenant)}");
        return $"rm -f {unit} {unit}.previous && systemctl daemon-reload";
    }

    /// <summary>
    /// Moves the tenant folder (data, releases, history) into the aside folder; the lock this run holds goes with it
    /// and is removed there.
    /// </summary>
    public static string MoveAside(TenantPaths paths, string folder) =>
        $"set -e\nmkdir -p {Shell.Quote(folder)}\nmv -T {Shell.Quote(paths.Root)} {Shell.Quote(folder + "/" + paths.Tenant)}\nrm -rf {Shell.Quote(folder + "/" + paths.Tenant + "/deploy.lock")}";

    /// <summary>Undoes <see cref="MoveAside"/>.</summary>
    public static string MoveBack(TenantPaths paths, string folder) =>
        $"[ -d {Shell.Quote(folder + "/" + paths.Tenant)} ] && [ ! -e {Shell.Quote(paths.Root)} ] && mv -T {Shell.Quote(folder + "/" + paths.Tenant)} {Shell.Quote(paths.Root)} || true";
}
