using System.Security.Cryptography;
using StorageApi.Configuration;
using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Hosts;
using Storagectl.Planning;
using Storagectl.Releases;
using Storagectl.Processes;

namespace Storagectl.Checks;

/// <summary>
/// "Migrations apply to a copy of the production database": takes a fresh online backup on the tenant's host, brings
/// the copy here, and runs the new release's `migrate` on it, then `migrate --pending` must list nothing. The
/// production database is only read, by the running release's own `backup`.
/// </summary>
public static class MigrationRehearsal
{
    public static async Task<ChecklistItem> RunAsync(DeployConfig config, TenantConfig tenant, HostConfig host, HostConnection connection,
        string unpackedRelease, CancellationToken cancellationToken)
    {
        var title = $"migrations apply to a copy of {tenant.Name}'s database ({host.Name})";
        var paths = new TenantPaths(host.Root, tenant.Name);
        var work = Directory.CreateTempSubdirectory("storagectl-rehearsal-");
        try
        {
            var copy = Path.Combine(work.FullName, "storage.db");
            await using (var file = File.Create(copy))
            {
                var fetched = await connection.DownloadAsync(DatabaseCommands.BackupToStdout(paths, config.Service.Executable), file, cancellationToken);
                if (!fetched.Succeeded) return ChecklistItem.Fail(title, "could not copy the database: " + fetched.Reason);
            }
            var environment = new Dictionary<string, string>
            {
                [KnownVariables.Environment] = "production",
                [KnownVariables.DatabaseUrl] = "sqlite:///" + copy,
                [KnownVariables.DataDirectory] = Path.Combine(work.FullName, "data"),
                // Throwaway keys: the rehearsal serves nothing, but the binary refuses to run without real-looking ones.
                [KnownVariables.AdminApiKey] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
                [KnownVariables.SigningKey] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
                [KnownVariables.TenantId] = tenant.Name,
                // Migrations embed nothing, and the release unpacked here has no model beside it (hosts link theirs).
                [KnownVariables.Embedder] = "hashing",
            };
            var binary = Path.Combine(unpackedRelease, config.Service.Executable);
            var migrate = await ProcessRunner.RunAsync(binary, ["migrate"], work.FullName, cancellationToken, environment);
            if (!migrate.Succeeded) return ChecklistItem.Fail(title, "migrate failed: " + migrate.Reason);
            var pending = await ProcessRunner.RunAsync(binary, ["migrate", "--pending"], work.FullName, cancellationToken, environment);
            if (!pending.Succeeded || pending.Output.Trim().Length > 0)
                return ChecklistItem.Fail(title, "still pending after migrate: " + (pending.Succeeded ? pending.Output.Trim() : pending.Reason));
            return ChecklistItem.Pass(title, $"{new FileInfo(copy).Length / 1024} KiB copy; {migrate.Output.Trim()}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

}
