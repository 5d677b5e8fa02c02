using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>Which TCP ports something listens on at a host, read from /proc (no ss or netstat needed); <see cref="PortChoice.ParseListening"/> reads the answer.</summary>
public static class PortCommands
{
    /// <summary>The TCP ports something listens on, one a line (hex, as /proc/net/tcp has them).</summary>
    public const string Listening = "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == \"0A\" { split($2, a, \":\"); print a[2] }' | sort -u";

    /// <summary>Refuses when any of <paramref name="ports"/> is listened on (another service took it since the plan was made).</summary>
    public static string RequireFree(IEnumerable<int> ports, string host)
    {
        var hex = string.Join('|', ports.Select(p => p.ToString("X4")));
        return $$"""
            taken=$({{Listening}} | grep -x -E '{{hex}}' || true)
            if [ -n "$taken" ]; then echo "ports in use on {{host}}: $(for p in $taken; do printf '%d ' 0x$p; done)" >&2; exit {{Step.RefusedExitCode}}; fi
            """;
    }
}
