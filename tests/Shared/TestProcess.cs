using System.Diagnostics;

namespace TestSupport;

/// <summary>What a program that ran to its end left: its exit code and everything it wrote.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}";
}

/// <summary>
/// The one way the tests start a program. Output and errors are always read (a full pipe never blocks it), standard
/// input is closed (it never waits for the tests to type), a missing program fails naming its Debian package, and a
/// program that does not end in time is killed with its children.
/// </summary>
public static class TestProcess
{
    /// <summary>Just enough of the machine for programs (dotnet ones too) to start; see <see cref="CleanEnvironment"/>.</summary>
    private static readonly string[] Inherited = ["PATH", "HOME", "DOTNET_ROOT", "TMPDIR", "LANG"];

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs the program to its end, or kills it and throws after <paramref name="timeout"/> (3 minutes unless given).</summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start, TimeSpan? timeout = null)
    {
        using var process = Launch(start);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? DefaultTimeout;
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(start)} did not finish within {limit}");
        }
        return new ProcessResult(process.ExitCode, await output, await errors);
    }

    /// <summary>Runs the program to its end and returns its output; any exit code but 0 throws with all it wrote.</summary>
    public static async Task<string> RequireAsync(ProcessStartInfo start, TimeSpan? timeout = null)
    {
        var result = await RunAsync(start, timeout);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{Describe(start)} failed: {result}");
        return result.Output;
    }

    /// <inheritdoc cref="RequireAsync(ProcessStartInfo, TimeSpan?)"/>
    public static Task<string> RequireAsync(string file, params string[] args) => RequireAsync(new ProcessStartInfo(file, args));

    /// <summary>
    /// Starts a program that is kept running (a server, a run to kill midway); each line it writes, on either stream,
    /// goes to <paramref name="line"/>, or nowhere. Whoever starts it stops it.
    /// </summary>
    public static Process Start(ProcessStartInfo start, Action<string>? line = null)
    {
        var process = Launch(start);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) line?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) line?.Invoke(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Nothing of the test process's environment but PATH, HOME, DOTNET_ROOT, TMPDIR and LANG: the program under test sees only what a test gives it.</summary>
    public static ProcessStartInfo CleanEnvironment(this ProcessStartInfo start)
    {
        start.Environment.Clear();
        foreach (var name in Inherited)
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        return start;
    }

    /// <summary>Sets these variables; a null value removes one.</summary>
    public static ProcessStartInfo WithEnvironment<TValue>(this ProcessStartInfo start, IEnumerable<KeyValuePair<string, TValue>>? variables)
        where TValue : class?
    {
        foreach (var (name, value) in variables ?? [])
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value.ToString();
        return start;
    }

    private static Process Launch(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var process = Prerequisites.Start(start);
        process.StandardInput.Close();
        return process;
    }

    private static string Describe(ProcessStartInfo start) => string.Join(' ', [start.FileName, .. start.ArgumentList]);
}
