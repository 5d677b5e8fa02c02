using System.Diagnostics;
using Storagectl.Tests.Releasing;

namespace Storagectl.Tests.Workflows;

/// <summary>
/// Runs a workflow step's script as GitHub does (bash -e) in a folder of its own that is also HOME, with only PATH
/// and the variables given: nothing of the machine running the tests leaks in or gets written to.
/// </summary>
public sealed class ScriptSandbox : IDisposable
{
    public string Folder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "storagectl-script-" + Guid.NewGuid().ToString("N")[..10])).FullName;

    public Task<StoragectlResult> RunAsync(string script, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", ["-e", "-c", script])
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        start.Environment["HOME"] = Folder;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return StoragectlProcess.Wait(start);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
