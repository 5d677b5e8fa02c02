using System.Security.Cryptography;
using System.Text;
using DotEnv;
using Storagectl.Configuration;

namespace Storagectl.Onboarding;

/// <summary>New secret values, and where they go: appended to the secrets file, or printed once as `gh secret set` lines.</summary>
public static class TenantSecrets
{
    /// <summary>32 random bytes as 64 hex digits: safe in a URL, a header, a dotenv line and a shell word as they are.</summary>
    public static string NewValue() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Appends the values in the dotenv dialect the secrets file is read in, creating the file 0600; refuses (and writes
    /// nothing) when one of the names is already there.
    /// </summary>
    public static void Append(string secretsFile, IReadOnlyList<KeyValuePair<string, string>> values, string comment)
    {
        var existing = File.Exists(secretsFile) ? File.ReadAllText(secretsFile) : "";
        var known = existing.Length == 0 ? new Dictionary<string, string>() : SecretSource.ReadFile(secretsFile);
        if (values.FirstOrDefault(v => known.ContainsKey(v.Key)) is { Key: not null } taken)
            throw new ConfigException($"{secretsFile} already has {taken.Key}; nothing was written (remove it, or keep it and run again)");
        var text = new StringBuilder(existing);
        if (existing.Length > 0 && !existing.EndsWith('\n')) text.Append('\n');
        text.Append("# ").Append(comment).Append('\n');
        foreach (var (key, value) in values) text.Append(DotEnvFormat.Line(key, value));
        ConfigFile.WriteAtomically(secretsFile, text.ToString(), privateWhenNew: true);
    }

    /// <summary>The line that stores one value as a GitHub environment secret, the value on stdin (never in gh's argv).</summary>
    public static string GhSecretSet(string name, string value, string environment) =>
        $"printf %s {HostCommands.Shell.Quote(value)} | gh secret set {name} --env {HostCommands.Shell.Quote(environment)}";
}
