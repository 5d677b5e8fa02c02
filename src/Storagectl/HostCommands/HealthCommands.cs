using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>HTTP requests made on the host to a service's loopback port: health gates, bakes, `status` and the checklist.</summary>
public static class HealthCommands
{
    public static string Url(int port, string path) => $"http://127.0.0.1:{port}{path}";

    /// <summary>Prints the body, then the HTTP status on a line of its own (000 when nothing answered).</summary>
    public static string Get(int port, string path, double timeoutSeconds) =>
        $"curl -sS -m {HealthPolling.Text(timeoutSeconds)} -w '\\n%{{http_code}}' {Shell.Quote(Url(port, path))}";

    /// <summary>Used by undo steps that start the old version again: they are not done until it answers.</summary>
    public static string WaitReady(int port, string path, HealthPolling polling) =>
        $"i=0; until curl -fsS -m {polling.TimeoutSeconds} -o /dev/null {Shell.Quote(Url(port, path))}; do " +
        $"i=$((i + 1)); [ $i -ge {polling.Retries} ] && exit 1; sleep {polling.Interval}; done";
}
