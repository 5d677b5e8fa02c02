using System.Diagnostics;

namespace EndToEnd.Tests.Infrastructure;

public sealed record RunResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Errors}";
}

/// <summary>Runs programs the tests need (sshd, nginx, ssh-keygen, storagectl) with a bounded wait.</summary>
public static class Run
{
    public static async Task<RunResult> ProgramAsync(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Prerequisites.Start(start);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
        }
        return new RunResult(process.ExitCode, await output, await errors);
    }

    public static async Task<string> RequireAsync(string file, params string[] args)
    {
        var result = await ProgramAsync(file, args);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {result}");
        return result.Output;
    }

    public static string RepositoryRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "StorageApi.slnx"))) root = Path.GetDirectoryName(root)!;
        return root;
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
