using Storagectl.Planning;

namespace Storagectl.HostCommands;

/// <summary>shared/.env, written from stdin (secrets never travel in argv) and readable by its owner only.</summary>
public static class EnvFileCommands
{
    /// <summary>Keeps the file it replaces as .env.previous, for <see cref="RestorePrevious"/>.</summary>
    public static string Write(TenantPaths paths)
    {
        var env = Shell.Quote(paths.EnvFile);
        return $$"""
            set -e
            umask 077
            cat > {{env}}.next
            if [ -f {{env}} ]; then cp -p {{env}} {{env}}.previous; fi
            mv {{env}}.next {{env}}
            chmod 600 {{env}}
            """;
    }

    public static string RestorePrevious(TenantPaths paths)
    {
        var env = Shell.Quote(paths.EnvFile);
        return $"[ -f {env}.previous ] && mv {env}.previous {env} || true";
    }

    public static string Remove(TenantPaths paths) => $"rm -f {Shell.Quote(paths.EnvFile)}";
}
