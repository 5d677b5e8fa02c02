using System.Net;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;
using Storagectl.Planning;

namespace EndToEnd.Tests;

/// <summary>A release that does not fit on the tenant's disk is refused before upload, and the live version keeps serving.</summary>
[Collection(DeployCollection.Name)]
public sealed class DiskSpaceTests(Artifacts artifacts, ITestOutputHelper output)
{
    private const int MinFreeDiskMegabytes = 10;
    private const long MiB = 1024 * 1024;

    /// <summary>Room for one release (upload + unpack + the service's margin) and a little for the database and logs; not for two.</summary>
    private int DiskForOneRelease()
    {
        var artifact = Artifact.Load(artifacts.V1);
        return (int)((artifact.Bytes!.Value + artifact.UnpackedBytes!.Value) / MiB) + MinFreeDiskMegabytes + 12;
    }

    [Fact]
    public async Task A_release_too_big_for_the_free_disk_is_refused_before_upload_and_the_live_version_stays_ready()
    {
        await using var fleet = await TestFleet.StartAsync(smallDisk: new SmallDisk("acme", DiskForOneRelease(), MinFreeDiskMegabytes));
        var first = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1);
        first.ExitCode.ShouldBe(0, first.ToString());

        using var stop = new CancellationTokenSource();
        var watch = WatchHealthAsync(fleet, stop.Token);
        var result = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V2);
        await Task.Delay(TimeSpan.FromSeconds(2)); // a disk filled by the attempt would show in the readiness a moment later
        stop.Cancel();
        var (total, failures) = await watch;
        output.WriteLine($"{total} health checks during the attempt; storagectl said:\n{result}");

        var acme = fleet.TenantFolder("acme");
        result.ShouldSatisfyAllConditions(
            () => result.ExitCode.ShouldBe(1, result.ToString()),
            () => failures.ShouldBeEmpty(),
            () => total.ShouldBeGreaterThan(20),
            () => result.Output.ShouldContain("not enough disk on host-a for 2.0.0", customMessage: result.ToString()),
            () => Directory.Exists(Path.Combine(acme, "releases", ".2.0.0.partial")).ShouldBeFalse(),
            () => Directory.Exists(Path.Combine(acme, "releases", "2.0.0")).ShouldBeFalse(),
            () => Directory.EnumerateFiles(Path.Combine(acme, "uploads")).ShouldBeEmpty(),
            () => Directory.Exists(Path.Combine(acme, "deploy.lock")).ShouldBeFalse());
        (await fleet.HealthAsync("acme")).GetProperty("version").GetString().ShouldBe("1.0.0");
    }

    /// <summary>/health through nginx, again and again until stopped: every answer must be 200 from 1.0.0.</summary>
    private static async Task<(int Total, List<string> Failures)> WatchHealthAsync(TestFleet fleet, CancellationToken stop)
    {
        using var client = fleet.Client("acme");
        var failures = new List<string>();
        var total = 0;
        while (!stop.IsCancellationRequested)
        {
            total++;
            try
            {
                var response = await client.GetAsync("/health", CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var version = JsonDocument.Parse(body).RootElement.TryGetProperty("version", out var v) ? v.GetString() : null;
                if (response.StatusCode != HttpStatusCode.OK || version != "1.0.0") failures.Add($"{(int)response.StatusCode} {version}: {body}");
            }
            catch (Exception e) when (e is HttpRequestException or JsonException)
            {
                failures.Add(e.Message);
            }
            await Task.Delay(50, CancellationToken.None);
        }
        return (total, failures);
    }
}
