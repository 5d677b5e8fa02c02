using Storagectl.Planning;

namespace Storagectl.Tests.Planning;

/// <summary>The probe's key=value lines, read back: versions, slot, lock, env hashes, manifests and history.</summary>
public sealed class HostStateTests
{
    [Fact]
    public void Probe_output_is_read_back_and_broken_lines_are_skipped()
    {
        var record = new DeployRecord(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(9), "production", "acme", "web-1",
            "1.1.0", "abc", "1.0.0", "ana", DeployRecord.Succeeded, null);
        var manifest = new Artifact("storage-api", "1.1.0", "abc", DateTimeOffset.UnixEpoch, "x.tar.gz", new string('a', 64), ["m1"]);
        var output = string.Join('\n',
            "current=1.1.0", "active=green", "release=1.1.0", "release=1.0.0",
            "manifest=" + manifest.ManifestJson().Replace("\n", ""), "manifest={not json",
            "history=" + record.ToJson(), "history=garbage",
            "lock=" + new LockOwner("bob", DateTimeOffset.UnixEpoch, "1.2.0", "t").ToJson(),
            "env.TENANT_ID=" + HostState.HashValue("acme"));

        var state = HostState.Parse(output);

        state.CurrentVersion.ShouldBe("1.1.0");
        state.ActiveSlot.ShouldBe(Slot.Green);
        state.Releases.ShouldBe(["1.1.0", "1.0.0"]);
        state.Manifests.Keys.ShouldBe(["1.1.0"]);
        state.Manifests["1.1.0"].Migrations.ShouldBe(["m1"]);
        state.History.ShouldBe([record]);
        state.Lock!.Who.ShouldBe("bob");
        state.EnvHashes["TENANT_ID"].ShouldBe(HostState.HashValue("acme"));
    }
}
