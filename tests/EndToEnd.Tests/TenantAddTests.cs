using System.Diagnostics;
using System.Net;
using EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EndToEnd.Tests;

/// <summary>`storagectl tenant add` onboards a customer into a running fleet with the release it runs, and hands over a working session.</summary>
[Collection(DeployCollection.Name)]
public sealed class TenantAddTests(Artifacts artifacts, ITestOutputHelper output)
{
    [Fact]
    public async Task A_fourth_tenant_joins_a_running_fleet_and_its_printed_curl_session_works_verbatim_while_the_others_are_untouched()
    {
        await using var fleet = await TestFleet.StartAsync();
        var deployed = await fleet.StorageCtlAsync("deploy", "production", "--artifact", artifacts.V1);
        deployed.ExitCode.ShouldBe(0, deployed.ToString());
        string History(string tenant) => Path.Combine(tenant == "hooli" ? Path.Combine(fleet.HostB.Root, tenant) : fleet.TenantFolder(tenant), "deploys.jsonl");
        var before = TestFleet.Tenants.ToDictionary(t => t, t => File.ReadAllText(History(t)));
        var port = FreePort.Next();

        var added = await fleet.StorageCtlAsync("tenant", "add", "production", "hooli", "--host", "host-b", "--name", "Hooli Inc.",
            "--artifact", artifacts.V1, "--port", port.ToString(), "--public-url", $"http://127.0.0.1:{port}");
        output.WriteLine(added.ToString());
        added.ExitCode.ShouldBe(0, added.ToString());

        // The session as printed, run by bash word for word: upload, list, download.
        var printed = added.Output.Split('\n');
        var start = Array.IndexOf(printed, "```bash");
        var session = string.Join('\n', printed[(start + 1)..Array.IndexOf(printed, "```", start)]);
        session.Split('\n').Length.ShouldBe(3);
        var ran = await TestProcess.RunAsync(new ProcessStartInfo("bash", ["-e", "-c", session]));
        output.WriteLine(ran.ToString());
        ran.ExitCode.ShouldBe(0, ran.ToString());
        ran.Output.ShouldContain("\"filename\":\"hello.txt\"");
        ran.Output.ShouldEndWith("hello from hooli\n");

        var sheet = Path.Combine(fleet.Folder, "hooli-setup.md");
        File.GetUnixFileMode(sheet).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(sheet).ShouldContain(session);
        File.GetUnixFileMode(fleet.SecretsFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(fleet.SecretsFile).ShouldContain("HOOLI_ADMIN_API_KEY=");
        File.ReadAllText(fleet.ConfigFile).ShouldContain("rings: [[acme], [globex, initech, hooli]]");

        // The new tenant's history: provisioned, deployed, onboarded; the others' histories and versions unchanged.
        var history = File.ReadAllLines(History("hooli"));
        history.ShouldContain(l => l.Contains("\"kind\":\"onboard\"") && l.Contains("\"outcome\":\"succeeded\"") && l.Contains("\"version\":\"1.0.0\""));
        foreach (var tenant in TestFleet.Tenants)
        {
            File.ReadAllText(History(tenant)).ShouldBe(before[tenant], $"{tenant}'s history");
            (await fleet.HealthAsync(tenant)).GetProperty("version").GetString().ShouldBe("1.0.0");
        }
        var key = File.ReadAllLines(sheet).Single(l => l.StartsWith("| API key |")).Split('`')[1];
        using (var hooliKeyOnInitech = fleet.Client("initech", key)) (await hooliKeyOnInitech.GetAsync("/v1/objects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var again = await fleet.StorageCtlAsync("tenant", "add", "production", "hooli", "--host", "host-b", "--artifact", artifacts.V1);
        again.ExitCode.ShouldBe(1, again.ToString());
        again.Errors.ShouldContain("hooli was onboarded on host-b");
    }
}
