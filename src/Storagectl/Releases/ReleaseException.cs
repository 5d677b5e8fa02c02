namespace Storagectl.Releases;

/// <summary>A release, hotfix or build that cannot go on, said in one line (git's own reason when git refused).</summary>
public sealed class ReleaseException(string message) : Exception(message);
