using System.CommandLine;

namespace Storagectl.Cli;

/// <summary>The whole command tree in one place, so the entry point and the tests that check CI's calls share it.</summary>
public static class StoragectlCommand
{
    public static RootCommand Create() => new("storagectl: release, build, plan, deploy and roll back Storage API")
    {
        CommonOptions.ConfigOption,
        CommonOptions.PlainOption,
        DeployCommands.Build(),
        DeployCommands.Plan(),
        DeployCommands.Deploy(),
        DeployCommands.Rollback(),
        DeployCommands.Provision(),
        StatusCommands.Status(),
        StatusCommands.History(),
        LockCommands.Lock(),
        ReleaseCommands.Release(),
        ReleaseCommands.Hotfix(),
        ReleaseCommands.BranchCheck(),
        ChecklistCommands.Checklist(),
        BackupVerb.Backup(),
        TenantCommands.Tenant(),
        IsolationProbeCommand.Probe(),
        DashboardVerb.Dashboard(),
    };
}
