using Storagectl.Configuration;
using Storagectl.Onboarding;
using Storagectl.Planning;

namespace Storagectl.Tests.Onboarding;

/// <summary>A new tenant's entry: the environment's shared settings from a sibling, its own id, backups and generated secrets.</summary>
public sealed class TenantDraftTests
{
    private static readonly DeployConfig Config = DeployConfigLoader.Parse(File.ReadAllText(RepositoryRoot.Combine("deploy", "storagectl.yml")), "storagectl.yml");
    private static readonly TenantPorts Ports = new(8500, [8501, 8502]);

    [Fact]
    public void The_sibling_on_the_same_host_gives_the_environment_and_the_secrets_are_named_after_the_tenant()
    {
        var draft = TenantDraft.Of(Config.Environment("production"), "new-co", Config.Hosts["prod-2"], Ports, null);

        draft.Sibling.ShouldBe("initech");
        draft.Tenant.Env.ShouldBe([new("ENVIRONMENT", "production"), new("TENANT_ID", "new-co")]);
        draft.Tenant.Secrets.ShouldBe([new("ADMIN_API_KEY", "NEW_CO_ADMIN_API_KEY"), new("SIGNING_KEY", "NEW_CO_SIGNING_KEY")]);
        draft.GeneratedSecrets.ShouldBe(["NEW_CO_ADMIN_API_KEY", "NEW_CO_SIGNING_KEY"]);
        draft.Notes.ShouldContain("env copied from initech: ENVIRONMENT");
    }

    [Fact]
    public void Shared_settings_are_copied_the_backup_url_follows_the_tenant_and_what_cannot_be_generated_is_named()
    {
        var acme = new TenantConfig("acme", ["prod-1"], 8200, [8201, 8202],
            new Dictionary<string, string>
            {
                ["ENVIRONMENT"] = "production", ["TENANT_ID"] = "acme", ["RATE_LIMIT_REQUESTS_PER_MINUTE"] = "1200",
                ["BACKUP_URL"] = "s3://backups/acme/production", ["BLOB_STORE_URL"] = "s3://acme-blobs", ["S3_REGION"] = "eu-central-1",
            },
            new Dictionary<string, string> { ["ADMIN_API_KEY"] = "ACME_ADMIN_API_KEY", ["SIGNING_KEY"] = "ACME_SIGNING_KEY", ["BACKUP_KEY"] = "ACME_BACKUP_KEY", ["OPENAI_API_KEY"] = "ACME_OPENAI_API_KEY" });
        var environment = Config.Environment("production") with { Tenants = new Dictionary<string, TenantConfig> { ["acme"] = acme } };

        var draft = TenantDraft.Of(environment, "hooli", Config.Hosts["prod-1"], Ports, "https://files.hooli.example");

        draft.Tenant.Env.ShouldBe([
            new("ENVIRONMENT", "production"), new("TENANT_ID", "hooli"), new("RATE_LIMIT_REQUESTS_PER_MINUTE", "1200"), new("S3_REGION", "eu-central-1"),
            new("BACKUP_URL", "s3://backups/hooli/production")]);
        draft.Tenant.Secrets.Select(s => s.Value).ShouldBe(["HOOLI_ADMIN_API_KEY", "HOOLI_SIGNING_KEY", "HOOLI_BACKUP_KEY"]);
        draft.Tenant.PublicUrl.ShouldBe("https://files.hooli.example");
        draft.Notes.ShouldContain("not copied from acme (its own, not the environment's): BLOB_STORE_URL");
        draft.Notes.ShouldContain(n => n.StartsWith("BACKUP_URL is acme's with 'acme' replaced by 'hooli'"));
        draft.Notes.ShouldContain(n => n.StartsWith("secrets acme has that cannot be generated, not given to hooli: OPENAI_API_KEY"));

        var elsewhere = environment with { Tenants = new Dictionary<string, TenantConfig> { ["acme"] = acme with { Env = new Dictionary<string, string>(acme.Env) { ["BACKUP_URL"] = "/mnt/backups" } } } };
        var noBackups = TenantDraft.Of(elsewhere, "hooli", Config.Hosts["prod-1"], Ports, null);
        noBackups.Tenant.Env.ShouldNotContain(e => e.Key == "BACKUP_URL");
        noBackups.Tenant.Secrets.ShouldNotContain(s => s.Key == "BACKUP_KEY");
        noBackups.Notes.ShouldContain(n => n.StartsWith("no BACKUP_URL: acme's (/mnt/backups) does not name acme"));
    }
}
