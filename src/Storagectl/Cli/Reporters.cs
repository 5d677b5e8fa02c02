using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.Hosts;

namespace Storagectl.Cli;

/// <summary>How a verb shows progress and tables: plain lines for logs, or live output at a terminal.</summary>
public static class Reporters
{
    /// <summary>Plain output when asked, in CI, or when the output goes to a file or pipe.</summary>
    public static bool IsPlain(ParseResult parse) =>
        parse.GetValue(CommonOptions.PlainOption) || Console.IsOutputRedirected || MachineEnvironment.Get("CI") is not null;

    /// <summary>Runs work that reports progress: plain lines for logs, or a live table at a terminal.</summary>
    public static Task<T> WithReporterAsync<T>(ParseResult parse, Func<IDeployReporter, Task<T>> work)
    {
        if (IsPlain(parse)) return work(new PlainReporter(Console.Out));
        var live = new LiveReporter();
        return live.ShowWhileAsync(() => work(live));
    }
}
