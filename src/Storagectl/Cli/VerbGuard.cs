using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.Hosts;

namespace Storagectl.Cli;

/// <summary>Every verb body runs inside <see cref="GuardAsync"/>.</summary>
public static class VerbGuard
{
    /// <summary>Sets the verb's body, run inside <see cref="GuardAsync"/>.</summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancel) => GuardAsync(() => body(parse, cancel)));

    /// <summary>Runs a verb body, turning the errors people can act on into one line and exit code 1.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is ConfigException or Planning.ArtifactException or Releases.ReleaseException or HostUnreachableException or Processes.ProcessFailedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
