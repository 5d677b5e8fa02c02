using EndToEnd.Tests.Infrastructure;
using Storagectl.Planning;

namespace EndToEnd.Tests;

/// <summary>
/// Concurrent deploys are kept apart by the tenant lock; a host that is down stops the deploy with its name; a network
/// cut in the middle of an upload rolls back and leaves nothing half-written behind.
/// </summary>
[Collection(DeployCollection.Name)]
public sealed class LockAndHostTests(Artifacts artifacts)
{
    private static async Task HoldLockAsync(TestFleet fleet, string tenant, DateTimeOffset since)
    {
        var lockFolder = Path.Combine(fleet.TenantFolder(tenant), "deploy.lock");
        Directory.CreateDirectory(lockFolder);
        await File.WriteAllTextAsync(Path.Combine(lockFolder, "owner.json"), new LockOwner("bob@laptop", since, "9.9.9", "bobs-token").ToJson());
    }

    [Fact]
    public async Task A_lock_held_by_another_deploy_stops_the_deploy_before_anything_changes()
    {
        await using var fleet = await TestFleet.StartAsync();
        await HoldLockAsync(fleet, "acme", DateTimeOffset.UtcNow.AddMinutes(-1));

        var result = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1);
        var status = await fleet.StorageCtlAsync("lock", "status", "production");

        result.ExitCode.ShouldBe(1);
        result.Errors.ShouldContain("locked by bob@laptop");
        Directory.Exists(Path.Combine(fleet.TenantFolder("acme"), "releases")).ShouldBeTrue(); // made by provision
        Directory.EnumerateDirectories(Path.Combine(fleet.TenantFolder("acme"), "releases")).ShouldBeEmpty();
        fleet.DeploysAndRollbacks("globex").ShouldBeEmpty();
        status.Output.ShouldContain("acme@host-a\tlocked by bob@laptop");
        status.Output.ShouldContain("globex@host-a\tfree");

        (await fleet.StorageCtlAsync("lock", "release", "production", "--tenant", "acme")).ExitCode.ShouldBe(0);
        (await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task A_stale_lock_is_broken_and_the_deploy_goes_on()
    {
        await using var fleet = await TestFleet.StartAsync();
        await HoldLockAsync(fleet, "acme", DateTimeOffset.UtcNow.AddHours(-3));

        var result = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("break the lock of bob@laptop (since ");
        result.Output.ShouldContain("): stale after 10 minutes");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
    }

    [Fact]
    public async Task A_host_that_is_down_is_named_and_nothing_is_deployed()
    {
        await using var fleet = await TestFleet.StartAsync();
        await fleet.HostB.StopSshdAsync();

        var result = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1);

        result.ExitCode.ShouldBe(1);
        result.Errors.ShouldContain("host-b");
        fleet.DeploysAndRollbacks("acme").ShouldBeEmpty();
    }

    [Fact]
    public async Task An_ssh_connection_cut_during_the_upload_rolls_back_and_the_next_deploy_goes_through()
    {
        await using var fleet = await TestFleet.StartAsync(cuttable: true);
        (await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V1)).ExitCode.ShouldBe(0);
        var acme = fleet.TenantFolder("acme");
        fleet.HostAProxy!.CutAfter(4 * 1024 * 1024); // the artifact is far larger; scripts before the upload are a few KB

        var cut = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2);

        fleet.HostAProxy.HasCut.ShouldBeTrue();
        cut.ExitCode.ShouldBe(1, cut.ToString());
        cut.Output.ShouldContain("upload interrupted");
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
        Directory.Exists(Path.Combine(acme, "releases", "2.0.0")).ShouldBeFalse();
        Directory.EnumerateFileSystemEntries(Path.Combine(acme, "uploads")).ShouldBeEmpty();
        Directory.Exists(Path.Combine(acme, "deploy.lock")).ShouldBeFalse();
        File.ReadAllLines(Path.Combine(acme, "deploys.jsonl"))[^1].ShouldContain("\"outcome\":\"rolled-back\"");

        var again = await fleet.StorageCtlAsync("deploy", "production", "--tenant", "acme", "--artifact", artifacts.V2);

        again.ExitCode.ShouldBe(0, again.ToString());
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("2.0.0");
    }
}
