// storagectl: builds the service once and ships it to every tenant's hosts (see Cli/ for the verbs).
using Storagectl.Cli;

return await UsageError.InvokeAsync(StoragectlCommand.Create().Parse(args));
