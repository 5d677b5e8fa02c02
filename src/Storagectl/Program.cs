// storagectl: builds the service once and ships it to every tenant's hosts (see Cli/ for the verbs).
using System.CommandLine;
using Storagectl.Cli;

var root = new RootCommand("storagectl: release, build, plan, deploy and roll back Storage API")
{
    CliContext.ConfigOption,
    CliContext.PlainOption,
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
};
return await root.Parse(args).InvokeAsync();
