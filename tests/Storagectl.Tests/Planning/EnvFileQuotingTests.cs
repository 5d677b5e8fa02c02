using DotEnv;
using Storagectl.Configuration;
using Storagectl.Planning;
using static Storagectl.Tests.Planning.PlanningFixture;

namespace Storagectl.Tests.Planning;

/// <summary>
/// The shared/.env a deploy writes reads back, in the service's dialect, as exactly the values configured, whatever
/// they hold; and the host probe's hashes of it match the plan's, so an unchanged value is shown unchanged.
/// </summary>
public sealed class EnvFileQuotingTests
{
    private const string AwkwardAdmin = "k3y   # not a comment";
    private const string AwkwardSigning = "'quoted' \"both\" \\back\\slash ";

    private static readonly Artifact V2 = new("storage-api", "2.0.0", "abc1234", DateTimeOffset.UnixEpoch, "/tmp/storage-api-2.0.0.tar.gz", new string('e', 64));

    private static TargetPlan PlanAcme(HostState? state = null)
    {
        var secrets = new SecretSource(new Dictionary<string, string> { ["ACME_ADMIN"] = AwkwardAdmin, ["ACME_SIGNING"] = AwkwardSigning }, new Dictionary<string, string>());
        var states = state is null ? new Dictionary<(string, string), HostState>() : new() { [("acme", "web-1")] = state };
        return DeployPlanner.Plan(new DeployRequest(new PlanContext(Config, Config.Environment("production"), states, "ana", Now, "token-1", "acme"), V2, secrets))
            .Targets.Single();
    }

    private static string WrittenEnv(TargetPlan plan) => plan.Prepare.OfType<RunStep>().Single(s => s.Title.StartsWith("write shared/.env")).Input!;

    [Fact]
    public void Values_with_comments_quotes_and_spaces_read_back_unchanged()
    {
        var document = DotEnvParser.Parse(WrittenEnv(PlanAcme()), ".env");

        document.Errors.ShouldBeEmpty();
        document.Values["ADMIN_API_KEY"].ShouldBe(AwkwardAdmin);
        document.Values["SIGNING_KEY"].ShouldBe(AwkwardSigning);
        document.Values["TENANT_ID"].ShouldBe("acme");
        WrittenEnv(PlanAcme()).ShouldContain("TENANT_ID=acme\n"); // plain values stay bare, as before
    }

    [Fact]
    public async Task The_probe_of_a_written_env_file_finds_every_value_unchanged()
    {
        var root = Directory.CreateTempSubdirectory("env-probe-");
        try
        {
            var paths = new TenantPaths(root.FullName, "acme");
            Directory.CreateDirectory(paths.Shared);
            await File.WriteAllTextAsync(paths.EnvFile, WrittenEnv(PlanAcme()));

            var probe = await new Storagectl.Hosts.LocalConnection("here").RunAsync(Storagectl.HostCommands.ProbeCommands.TenantFolder(Config.Hosts["web-1"], paths, historyLines: 1), (string?)null);
            probe.ExitCode.ShouldBe(0, probe.Errors);
            var onHost = HostState.Parse(probe.Output);

            onHost.EnvHashes.Count.ShouldBe(6);
            PlanAcme(Running("1.0.0", Slot.Blue) with { EnvHashes = onHost.EnvHashes }).EnvChanges
                .ShouldAllBe(change => change.Kind == EnvChangeKind.Unchanged);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
