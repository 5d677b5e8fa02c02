using System.Security.Cryptography;
using Storagectl.Configuration;

namespace Storagectl.Dashboard;

/// <summary>What one `storagectl dashboard` serves, and the secrets of this run of it (new on every start).</summary>
/// <param name="Who">Who actions taken in the page are recorded as: the operator who started the dashboard, marked as such.</param>
public sealed record DashboardSettings(DeployConfig Config, IReadOnlyList<EnvironmentConfig> Environments, bool ReadOnly, string Who)
{
    /// <summary>The token in the URL the dashboard prints, as Jupyter does: whoever has it may look (and act, unless read-only).</summary>
    public string Token { get; } = NewSecret();

    /// <summary>Every form carries it: a page from elsewhere cannot post an action even where the browser sends the cookie.</summary>
    public string FormToken { get; } = NewSecret();

    public EnvironmentConfig? Environment(string? name) => Environments.FirstOrDefault(e => e.Name == name);

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
