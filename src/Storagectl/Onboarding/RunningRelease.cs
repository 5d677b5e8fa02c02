using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.Onboarding;

/// <summary>
/// "The same artifact": verbs that bring a tenant up beside others never build. They ship the release the environment
/// already runs, from a local file whose sha256 must equal the one in that release's release.json on the hosts.
/// </summary>
public static class RunningRelease
{
    /// <summary>
    /// The release the environment's tenants (other than <paramref name="except"/>) run, with its manifest as a host keeps it.
    /// With tenants on different releases (a rollout under way), <paramref name="wanted"/> (the --artifact's version) chooses.
    /// </summary>
    public static Artifact Of(EnvironmentConfig environment, IReadOnlyDictionary<(string Tenant, string Host), HostState> states, string? except, string? wanted)
    {
        var running = states.Where(s => s.Key.Tenant != except && s.Value.CurrentVersion is not null)
            .GroupBy(s => s.Value.CurrentVersion!).ToDictionary(g => g.Key, g => g.ToList());
        if (running.Count == 0)
            throw new ConfigException($"{environment.Name} runs no release yet: deploy one first (`storagectl deploy {environment.Name}`)");
        string version;
        if (wanted is not null)
        {
            if (!running.ContainsKey(wanted))
                throw new ArtifactException($"{environment.Name} does not run {wanted} (it runs {Describe(running)}); give the artifact of a release it runs");
            version = wanted;
        }
        else if (running.Count > 1)
            throw new ArtifactException($"{environment.Name} runs more than one release ({Describe(running)}); choose one with --artifact");
        else version = running.Keys.Single();
        return running[version].Select(s => s.Value.Manifests.GetValueOrDefault(version)).FirstOrDefault(m => m is not null)
            ?? throw new ArtifactException($"no host of {environment.Name} keeps a release.json for {version}, so its sha256 is unknown; redeploy it with `storagectl deploy` first");
    }

    /// <summary>
    /// The artifact file for <paramref name="release"/>: <paramref name="file"/>, else artifacts/&lt;service&gt;-&lt;version&gt;.tar.gz
    /// here; its sha256 must be the release's. Refuses with the version and sha256 wanted.
    /// </summary>
    public static Artifact Artifact(Artifact release, string? file)
    {
        var path = file ?? Path.Combine("artifacts", $"{release.Service}-{release.Version}.tar.gz");
        var wanted = $"{release.Service} {release.Version} with sha256 {release.Sha256}";
        if (!File.Exists(path))
            throw new ArtifactException($"{path}: no such artifact; the environment runs {wanted}: give that file with --artifact (it is never rebuilt)");
        var artifact = Planning.Artifact.Load(path);
        if (!string.Equals(artifact.Sha256, release.Sha256, StringComparison.OrdinalIgnoreCase) || artifact.Version != release.Version)
            throw new ArtifactException($"{path} is {artifact.Service} {artifact.Version} with sha256 {artifact.Sha256}, but the environment runs {wanted}");
        return artifact;
    }

    private static string Describe(Dictionary<string, List<KeyValuePair<(string Tenant, string Host), HostState>>> running) =>
        string.Join(", ", running.Select(r => $"{r.Key} on {string.Join(" and ", r.Value.Select(s => $"{s.Key.Tenant}@{s.Key.Host}"))}"));
}
