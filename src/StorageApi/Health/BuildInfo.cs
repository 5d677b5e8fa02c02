using System.Reflection;

namespace StorageApi.Health;

/// <summary>
/// Version and commit stamped at build time (<c>dotnet publish -p:Version=1.2.3 -p:SourceRevisionId=&lt;sha&gt;</c>),
/// read back from the informational version "1.2.3+sha".
/// </summary>
public sealed record BuildInfo(string Version, string Commit)
{
    public static BuildInfo Current { get; } = Read(typeof(BuildInfo).Assembly);

    public static BuildInfo Read(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+');
        return plus < 0 ? new BuildInfo(informational, "unknown") : new BuildInfo(informational[..plus], informational[(plus + 1)..]);
    }

    public override string ToString() => $"{Version}+{Commit}";
}
