using System.CommandLine;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>`storagectl tenant …`: a tenant's lifecycle, one verb each (add; move, restore and remove beside it).</summary>
public static class TenantCommands
{
    public static Command Tenant() => new("tenant", "a tenant's lifecycle: add a customer, move one to another host, restore one from backups onto a host, remove one")
    {
        Add(),
        TenantMoveCommand.Move(),
        TenantRestoreCommand.Restore(),
        TenantRemoveCommand.Remove(),
    };

    private static readonly Argument<string> TenantArgument = new("tenant") { Description = "the new tenant's name: lower-case letters, digits and dashes" };
    private static readonly Option<string> HostOption = new("--host") { Description = "the host that runs the tenant", Required = true };
    private static readonly Option<int?> RingOption = new("--ring") { Description = "the rollout ring to join, 1 = first (default: the last)" };
    private static readonly Option<string?> NameOption = new("--name") { Description = "the customer's name, e.g. \"Acme GmbH\" (default: the tenant's)" };
    private static readonly Option<bool> CiSecretsOption = new("--ci-secrets") { Description = "print `gh secret set` lines for the new secrets (values shown once) instead of writing them to secrets_file" };
    private static readonly Option<string?> ArtifactOption = new("--artifact") { Description = "the artifact of the release the environment runs (default: artifacts/<service>-<version>.tar.gz); never rebuilt" };
    private static readonly Option<string?> PublicUrlOption = new("--public-url") { Description = "where the customer reaches the tenant, e.g. https://files.acme.example (default: none)" };
    private static readonly Option<int?> PortOption = new("--port") { Description = "the tenant's public port (default: the next free hundred above the host's tenants)" };
    private static readonly Option<string?> SheetOption = new("--sheet") { Description = "where to write the setup sheet (default: ./<tenant>-setup.md)" };

    static TenantCommands()
    {
        RingOption.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--ring: rings count from 1"); });
        PortOption.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1 or > 65535) r.AddError("--port: give a port from 1 to 65535"); });
    }

    private static Command Add()
    {
        var command = new Command("add", "onboard a customer: config entry, ports, secrets, provision, the running release, its tenant and first key, a setup sheet")
            { EnvironmentArgument, TenantArgument, HostOption, RingOption, NameOption, CiSecretsOption, ArtifactOption, PublicUrlOption, PortOption, SheetOption };
        command.SetGuardedAction((parse, cancel) => TenantAdd.RunAsync(parse, new TenantAdd.Request(
            parse.GetValue(ConfigOption)!, parse.GetValue(EnvironmentArgument)!, parse.GetValue(TenantArgument)!, parse.GetValue(HostOption)!,
            parse.GetValue(RingOption), parse.GetValue(NameOption), parse.GetValue(CiSecretsOption), parse.GetValue(ArtifactOption),
            parse.GetValue(PublicUrlOption), parse.GetValue(PortOption), parse.GetValue(SheetOption)), cancel));
        return command;
    }
}
