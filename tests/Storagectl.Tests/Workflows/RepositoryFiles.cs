using System.Text.RegularExpressions;

namespace Storagectl.Tests.Workflows;

/// <summary>Files of this repository as they are now (not copies made at build time), found from the test's output folder.</summary>
public static partial class RepositoryFiles
{
    public static string Root => RepositoryRoot.Path;

    public static string PathOf(params string[] parts) => RepositoryRoot.Combine(parts);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    /// <summary>README's "Run the whole test suite" command: the one command CI, the release gate and people all run.</summary>
    public static string ReadmeTestCommand()
    {
        var match = ReadmeTestBlock().Match(Read("README.md"));
        match.Success.ShouldBeTrue("README.md should have a bash block after \"Run the whole test suite:\"");
        return match.Groups["command"].Value.Trim();
    }

    [GeneratedRegex(@"Run the whole test suite:\s*```bash\n(?<command>[^`]+)```")]
    private static partial Regex ReadmeTestBlock();
}
