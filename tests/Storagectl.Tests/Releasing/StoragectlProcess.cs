using System.Diagnostics;

namespace Storagectl.Tests.Releasing;

public sealed record StoragectlResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}";
}

/// <summary>
/// Runs the built storagectl (the real entry point) as its own process with a small, explicit environment: nothing of
/// the test process leaks in (say, GITHUB_HEAD_REF on a CI runner), and git reads no global or system configuration.
/// </summary>
public static class StoragectlProcess
{
    private static readonly string[] Inherited = ["PATH", "HOME", "DOTNET_ROOT", "TMPDIR", "LANG"];

    public static readonly IReadOnlyDictionary<string, string> GitIsolation = new Dictionary<string, string>
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    /// <param name="workingDirectory">Where it runs; by default the temp folder, never the repository: the verbs must find it through --repo or --config.</param>
    public static async Task<StoragectlResult> RunAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "storagectl.dll"), .. args])
        {
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment.Clear();
        foreach (var name in Inherited)
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        foreach (var (key, value) in GitIsolation.Concat(environment ?? new Dictionary<string, string>())) start.Environment[key] = value;
        return await Wait(start);
    }

    internal static async Task<StoragectlResult> Wait(ProcessStartInfo start)
    {
        using var process = Prerequisites.Start(start);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in time");
        }
        return new StoragectlResult(process.ExitCode, await output, await errors);
    }
}
