using Storagectl.Configuration;
using Storagectl.Onboarding;

namespace Storagectl.Tests.Onboarding;

/// <summary>The customer's sheet: base URL, the key once, a three-line session for bash, the limits and the docs.</summary>
public sealed class SetupSheetTests
{
    private static readonly TenantConfig Hooli = new("hooli", ["prod-2"], 8500, [8501, 8502],
        new Dictionary<string, string> { ["ENVIRONMENT"] = "production", ["TENANT_ID"] = "hooli", ["RATE_LIMIT_REQUEST_BURST"] = "200" }, new Dictionary<string, string>());

    [Fact]
    public void The_base_url_is_the_public_url_else_the_hosts_address_and_port()
    {
        var host = new HostConfig("prod-2", "prod-2.storage.example.net", "deploy", 22, "/srv/storage", HostTransport.Ssh, ServiceManager.Systemd, ProxyKind.Nginx, "", "");
        SetupSheet.BaseUrlOf(Hooli, host).ShouldBe("http://prod-2.storage.example.net:8500");
        SetupSheet.BaseUrlOf(Hooli with { PublicUrl = "https://files.hooli.example" }, host).ShouldBe("https://files.hooli.example");
    }

    [Fact]
    public void The_limits_are_the_tenants_own_else_the_environments_defaults()
    {
        TenantLimits.Of(Hooli).ShouldBe(new TenantLimits(600, 200, 1L << 30, 4, 5L << 30));
        TenantLimits.Of(Hooli with { Env = new Dictionary<string, string> { ["ENVIRONMENT"] = "development" } }).ShouldBe(new TenantLimits(10_000, 1_000, 10L << 30, 16, 5L << 30));
    }

    [Fact]
    public void The_session_uploads_lists_and_downloads_with_the_key_and_the_sheet_says_it_holds_a_secret()
    {
        var sheet = new SetupSheet("hooli", "Hooli Inc.", "production", "https://files.hooli.example", "sk_abc", TenantLimits.Of(Hooli));

        sheet.CurlSession().ShouldBe([
            "ID=$(echo 'hello from hooli' | curl -fsS -H \"Authorization: Bearer sk_abc\" -F 'file=@-;filename=hello.txt' \"https://files.hooli.example/v1/objects\" | sed -n 's/^{\"id\":\"\\([^\"]*\\)\".*/\\1/p')",
            "curl -fsS -H \"Authorization: Bearer sk_abc\" \"https://files.hooli.example/v1/objects\"",
            "curl -fsS -H \"Authorization: Bearer sk_abc\" \"https://files.hooli.example/v1/objects\"/\"$ID\"/content"]);
        var markdown = sheet.Markdown();
        markdown.ShouldContain("**This sheet holds a secret**");
        markdown.ShouldContain("| API key | `sk_abc` (shown once");
        markdown.ShouldContain("https://files.hooli.example/openapi/v1.json");
        markdown.ShouldContain("- 600 requests per minute, bursts of up to 200 at once");
        markdown.ShouldContain("- 1 GiB of uploads per minute, 4 uploads at a time, 5 GiB per file");

        (sheet with { Key = null }).Markdown().ShouldContain("| API key | not shown here: the tenant had a key already");
    }
}
