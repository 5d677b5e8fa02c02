namespace Storagectl.Tests.Dashboard;

/// <summary>
/// Tests that point STORAGECTL_STATE_DIR (a process-wide variable) at a folder of their own: they run alone, so no other
/// test journals its runs there or reads them from there.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StateDirCollection
{
    public const string Name = "STORAGECTL_STATE_DIR";
}

/// <summary>STORAGECTL_STATE_DIR set to a fresh folder while it lives, then put back as it was.</summary>
public sealed class StateDir : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable("STORAGECTL_STATE_DIR");
    private readonly TempFolder _folder = new("state-");

    public StateDir() => Environment.SetEnvironmentVariable("STORAGECTL_STATE_DIR", _folder.Path);

    public string RunsFolder => _folder.Combine("runs");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("STORAGECTL_STATE_DIR", _before);
        _folder.Dispose();
    }
}
