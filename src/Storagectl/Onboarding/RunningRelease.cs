using Storagectl.Configuration;
using Storagectl.Planning;

namespace Storagectl.Onboarding;

/// <summary>
/// "The same artifact": verbs that bring a tenant up on a host (add, move, restore) never build. They ship a release the
/// hosts run or ran, from a local file whose sha256 must equal the one in that release's release.json on the hosts.
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

    /// <summary>The artifact file of the release the environment runs; see the overload below.</summary>
    public static Artifact Artifact(Artifact release, string? file) => Artifact(release.Service, release.Version, release.Sha256, file, "the environment runs");

    /// <summary>
    /// The one way these verbs find "the same artifact": <paramref name="file"/>, else artifacts/&lt;service&gt;-&lt;version&gt;.tar.gz
    /// here (where `storagectl build` leaves it), of <paramref name="version"/>, with <paramref name="sha256"/> when the hosts
    /// know it. Refuses with the version and sha256 wanted; never builds. <paramref name="whose"/> says who runs it, for the errors.
    /// </summary>
    public static Artifact Artifact(string service, string version, string? sha256, string? file, string whose)
    {
        var path = file ?? Path.Combine("artifacts", $"{service}-{version}.tar.gz");
        var wanted = $"{service} {version}" + (sha256 is null ? "" : $" with sha256 {sha256}");
        if (!File.Exists(path))
            throw new ArtifactException($"{path}: no such artifact; {whose} {wanted}: give that file with --artifact (it is never rebuilt)");
        var artifact = Planning.Artifact.Load(path);
        if (artifact.Version != version || (sha256 is not null && !Planning.Artifact.SameBytes(artifact.Sha256, sha256)))
            throw new ArtifactException($"{path} is {artifact.Service} {artifact.Version} with sha256 {artifact.Sha256}, but {whose} {wanted}");
        return artifact;
    }

    private static string Describe(Dictionary<string, List<KeyValuePair<(string Tenant, string Host), HostState>>> running) =>
        string.Join(", ", running.Select(r => $"{r.Key} on {string.Join(" and ", r.Value.Select(s => $"{s.Key.Tenant}@{s.Key.Host}"))}"));
}
