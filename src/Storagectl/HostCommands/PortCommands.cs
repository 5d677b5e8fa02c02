namespace Storagectl.HostCommands;

/// <summary>Which TCP ports something listens on, asked on the host (bash's /dev/tcp: a refused connect means free).</summary>
public static class PortCommands
{
    /// <summary>Prints each of <paramref name="ports"/> that something listens on, one a line.</summary>
    public static string Taken(IEnumerable<int> ports) =>
        $"for p in {string.Join(' ', ports)}; do if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo $p; fi; done; true";

    /// <summary>Prints the first <paramref name="count"/> ports from <paramref name="start"/> up that nothing listens on and that are not in <paramref name="exclude"/>.</summary>
    public static string Free(int start, int count, IEnumerable<int> exclude) => $$"""
        exclude=" {{string.Join(' ', exclude)}} "
        p={{start}}; n=0
        while [ $n -lt {{count}} ] && [ $p -lt 65536 ]; do
          case "$exclude" in *" $p "*) ;; *) if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo $p; n=$((n + 1)); fi;; esac
          p=$((p + 1))
        done
        """;
}
