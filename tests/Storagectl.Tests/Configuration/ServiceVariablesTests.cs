using System.Diagnostics;
using System.Reflection;
using Storagectl.Configuration;
using Storagectl.Tests.Releasing;

namespace Storagectl.Tests.Configuration;

/// <summary>
/// A tenant's env and secrets may only name variables the service reads: a typo is an error that names file, line,
/// tenant and the variable meant, instead of a setting silently left at its default.
/// </summary>
public sealed class ServiceVariablesTests
{
    private static string Config(string env, string secrets = "{ ADMIN_API_KEY: ACME_ADMIN_API_KEY }") => $$"""
        hosts:
          web-1: { address: 127.0.0.1, root: /srv/storage }
        environments:
          production:
            tenants:
              acme:
                hosts: [web-1]
                port: 8200
                slot_ports: [8201, 8202]
                env: {{env}}
                secrets: {{secrets}}
        """;

    [Fact]
    public void A_misspelt_env_key_names_the_tenant_and_the_variable_meant()
    {
        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(Config("{ ENVIRONMNT: production }"), "deploy/storagectl.yml"));

        error.Message.ShouldBe("deploy/storagectl.yml:10: environments.production.tenants.acme.env.ENVIRONMNT: is not a variable the service reads (did you mean 'ENVIRONMENT'?)");
    }

    [Fact]
    public void A_misspelt_secret_key_names_the_variable_meant()
    {
        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(Config("{ ENVIRONMENT: production }", "{ SIGNING_KEYS: ACME_SIGNING_KEY }"), "deploy/storagectl.yml"));

        error.Message.ShouldBe("deploy/storagectl.yml:11: environments.production.tenants.acme.secrets.SIGNING_KEYS: is not a variable the service reads (did you mean 'SIGNING_KEY'?)");
    }

    [Fact]
    public void A_key_like_no_known_variable_points_to_the_list()
    {
        var error = Should.Throw<ConfigException>(() => DeployConfigLoader.Parse(Config("{ FEATURE_FLAGS: all }"), "deploy/storagectl.yml"));

        error.Message.ShouldEndWith("env.FEATURE_FLAGS: is not a variable the service reads; `storage-api variables` lists them");
    }

    [Fact]
    public void Every_variable_the_service_reads_is_accepted()
    {
        // PUBLIC_BASE_URL is written from the tenant's public_url, never set under env.
        var plain = StorageApi.Configuration.KnownVariables.All.Where(v => !DeployConfigLoader.ManagedVariables.Contains(v) && !v.Contains("KEY") && !v.Contains("DSN")
            && v != StorageApi.Configuration.KnownVariables.PublicBaseUrl);
        var env = "{ " + string.Join(", ", plain.Select(v => v == "TENANT_ID" ? "TENANT_ID: acme" : $"{v}: x")) + " }";

        var tenant = DeployConfigLoader.Parse(Config(env), "storagectl.yml").Environment("production").Tenants["acme"];

        tenant.Env.Keys.ShouldContain("RATE_LIMIT_CONCURRENT_UPLOADS");
    }

    [Fact]
    public async Task Plan_refuses_a_configuration_with_a_misspelt_variable_before_it_reaches_a_host()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("variables-").FullName, "storagectl.yml");
        await File.WriteAllTextAsync(file, Config("{ ENVIRONMNT: production }"));

        var result = await StoragectlProcess.RunAsync(["plan", "production", "--config", file]);

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Errors.ShouldContain("env.ENVIRONMNT: is not a variable the service reads (did you mean 'ENVIRONMENT'?)");
    }

    /// <summary>storagectl compiles in the service's own list; this holds the two to what the built service prints.</summary>
    [Fact]
    public async Task The_list_storagectl_checks_against_is_what_storage_api_variables_prints()
    {
        var binary = typeof(ServiceVariablesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "StorageApiBinary").Value!;
        var start = new ProcessStartInfo("dotnet", [binary, "variables"]) { WorkingDirectory = Path.GetTempPath() };
        // A production environment with nothing set: the list is a fact about the build, not about a configuration.
        start.Environment["ENVIRONMENT"] = "production";

        var result = await TestProcess.RunAsync(start);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(StorageApi.Configuration.KnownVariables.All);
    }
}
