using System.Diagnostics;

namespace Storagectl.Tests.Workflows;

/// <summary>
/// Runs a workflow step's script as GitHub does (bash -e) in a folder of its own that is also HOME, with only PATH
/// and the variables given: nothing of the machine running the tests leaks in or gets written to.
/// </summary>
public sealed class ScriptSandbox : IDisposable
{
    private readonly TempFolder _folder = new("storagectl-script-");

    public string Folder => _folder.Path;

    public Task<ProcessResult> RunAsync(string script, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", ["-e", "-c", script]) { WorkingDirectory = Folder };
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        start.Environment["HOME"] = Folder;
        return TestProcess.RunAsync(start.WithEnvironment(environment), TimeSpan.FromMinutes(2));
    }

    public void Dispose() => _folder.Dispose();
}
