using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.HostCommands;
using Storagectl.Planning;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>`storagectl tenant remove &lt;env&gt; &lt;tenant&gt; --confirm &lt;tenant&gt;`: takes the tenant offline, keeping everything.</summary>
public static class TenantRemoveCommand
{
    private static readonly Argument<string> TenantArgument = new("tenant") { Description = "the tenant to remove" };
    private static readonly Option<string?> ConfirmOption = new("--confirm") { Description = "the tenant's name again: removing takes it offline" };

    /// <summary>The configuration, the environment and the named tenant (checked), for verbs that take the tenant as an argument.</summary>
    public static (VerbScope Scope, TenantConfig Tenant) TenantScope(ParseResult parse, string name)
    {
        var config = LoadConfig(parse);
        var environment = config.Environment(parse.GetValue(EnvironmentArgument)!);
        return environment.Tenants.TryGetValue(name, out var tenant)
            ? (new VerbScope(config, environment, name), tenant)
            : throw new ConfigException($"{environment.Name} has no tenant '{name}' (known: {string.Join(", ", environment.Tenants.Keys)})");
    }

    public static Command Remove()
    {
        var command = new Command("remove", "stop a tenant, keep a final backup and its folder aside on each host, drop it from the configuration")
            { EnvironmentArgument, TenantArgument, ConfirmOption, DryRunOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var name = parse.GetValue(TenantArgument)!;
            if (parse.GetValue(ConfirmOption) != name && !parse.GetValue(DryRunOption))
            {
                Console.Error.WriteLine($"error: removing {name} takes it offline: repeat its name with --confirm {name}");
                return UsageError.ExitCode;
            }
            var (scope, tenant) = TenantScope(parse, name);
            var (probed, fleet) = await FleetProbe.ProbeAsync(scope, cancel);
            await using var _ = fleet;
            var context = probed with { Kind = DeployPlan.Remove };
            var plan = RemovePlanner.Plan(context, name);
            if (parse.GetValue(DryRunOption)) return PlanRunner.Print(plan);
            var code = await PlanRunner.RunAsync(parse, plan, fleet, cancel);
            if (code != 0) return code;

            foreach (var target in plan.Targets)
            {
                var aside = RemovalCommands.AsideFolder(target.Host, name, context.Now);
                Console.WriteLine($"{target.Name}: kept in {aside}: the tenant folder ({name}/, with its data and deploys.jsonl)" +
                    (target.FromVersion is null ? "" : ", final-backup/ (storage.db, blobs/, env)") +
                    (target.Host.Proxy == ProxyKind.Nginx ? ", nginx-site.conf" : ""));
            }
            var url = BackupSource.UrlOf(tenant, SecretSource.FromMachine(scope.Config.SecretsFile));
            if (url is not null) Console.WriteLine($"off-host backups (with the final one) stay at {url}; nothing prunes them any more");
            var yaml = await File.ReadAllTextAsync(scope.Config.SourceFile, cancel);
            try
            {
                var edited = ConfigEditor.RemoveTenant(yaml, scope.Environment.Name, name, scope.Config.SourceFile);
                ConfigFile.WriteAtomically(scope.Config.SourceFile, edited);
                Console.WriteLine($"{scope.Config.SourceFile}: {name} removed from environments.{scope.Environment.Name} (tenants and rings)");
            }
            catch (Exception e) when (e is ConfigException or InvalidOperationException)
            {
                Console.Error.WriteLine($"warning: {scope.Config.SourceFile} not changed, remove {name} by hand: {e.Message}");
            }
            var deletable = tenant.Secrets.Where(s => s.Key != BackupSource.KeyVariable).Select(s => s.Value).ToList();
            if (deletable.Count > 0) Console.WriteLine($"secrets that can now be deleted (secrets file or CI): {string.Join(", ", deletable)}");
            if (tenant.Secrets.TryGetValue(BackupSource.KeyVariable, out var key))
                Console.WriteLine($"keep {key} (BACKUP_KEY) as long as you keep the backups: without it they cannot be read");
            return 0;
        });
        return command;
    }
}
