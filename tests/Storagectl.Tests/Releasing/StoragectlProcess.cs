using System.Diagnostics;

namespace Storagectl.Tests.Releasing;

/// <summary>
/// Runs the built storagectl (the real entry point) as its own process with a small, explicit environment: nothing of
/// the test process leaks in (say, GITHUB_HEAD_REF on a CI runner), and git reads no global or system configuration.
/// </summary>
public static class StoragectlProcess
{
    public static readonly IReadOnlyDictionary<string, string> GitIsolation = new Dictionary<string, string>
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    /// <param name="workingDirectory">Where it runs; by default the temp folder, never the repository: the verbs must find it through --repo or --config.</param>
    public static Task<ProcessResult> RunAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        TestProcess.RunAsync(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "storagectl.dll"), .. args])
            {
                WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            }.CleanEnvironment().WithEnvironment(GitIsolation).WithEnvironment(environment), TimeSpan.FromMinutes(2));
}
