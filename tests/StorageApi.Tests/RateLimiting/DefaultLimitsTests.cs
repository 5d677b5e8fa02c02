using StorageApi.Configuration;
using StorageApi.RateLimiting;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.RateLimiting;

/// <summary>Defaults per environment, each replaceable by a RATE_LIMIT_* variable that is checked like every other.</summary>
public sealed class DefaultLimitsTests
{
    private static ConfigurationReport Read(TempFolder folder, params (string Key, string? Value)[] variables) =>
        ConfigurationReader.Read(variables.ToDictionary(v => v.Key, v => v.Value), folder.Path);

    private static (string, string?)[] Production(TempFolder folder, string environment = "production") =>
    [
        (KnownVariables.Environment, environment),
        (KnownVariables.DataDirectory, folder.Combine("data")),
        (KnownVariables.DatabaseUrl, "sqlite:///" + folder.Combine("storage.db")),
        (KnownVariables.AdminApiKey, "Qm9xR2c4dFZrN3lQd0xzTjFhWmVKdUhiM2ZDaVg2b0U"),
        (KnownVariables.SigningKey, "Z3Y5TnFXcEs0YlR4UjdqTGNNMnVBaEZ5OHNEZ1Zl"),
    ];

    [Fact]
    public void Development_is_generous_and_staging_and_production_share_sensible_defaults()
    {
        using var folder = new TempFolder();

        Read(folder).Settings!.DefaultLimits.ShouldBe(new TenantLimits(10_000, 1_000, 10L << 30, 16));
        Read(folder, Production(folder)).Settings!.DefaultLimits.ShouldBe(new TenantLimits(600, 100, 1L << 30, 4));
        Read(folder, Production(folder, "staging")).Settings!.DefaultLimits.ShouldBe(TenantLimits.Production);
    }

    [Fact]
    public void Each_default_can_be_set_by_a_variable()
    {
        using var folder = new TempFolder();

        var report = Read(folder, [.. Production(folder),
            ("RATE_LIMIT_REQUESTS_PER_MINUTE", "1200"), ("RATE_LIMIT_REQUEST_BURST", "200"),
            ("RATE_LIMIT_UPLOAD_BYTES_PER_MINUTE", "2147483648"), ("RATE_LIMIT_CONCURRENT_UPLOADS", "8")]);

        report.IsValid.ShouldBeTrue(string.Join("; ", report.Errors));
        report.Settings!.DefaultLimits.ShouldBe(new TenantLimits(1200, 200, 2L << 30, 8));
    }

    [Fact]
    public void A_default_out_of_range_or_a_misspelled_name_is_reported()
    {
        using var folder = new TempFolder();

        var report = Read(folder, [.. Production(folder),
            ("RATE_LIMIT_REQUESTS_PER_MINUTE", "0"), ("RATE_LIMIT_REQUEST_BURST", "many"),
            ("RATE_LIMIT_UPLOAD_BYTES_PER_MINUTE", "100"), ("RATE_LIMIT_CONCURENT_UPLOADS", "8")]);

        report.IsValid.ShouldBeFalse();
        report.Errors.ShouldContain("RATE_LIMIT_REQUESTS_PER_MINUTE '0' must be a whole number from 1 to 1000000");
        report.Errors.ShouldContain("RATE_LIMIT_REQUEST_BURST 'many' must be a whole number from 1 to 100000");
        report.Errors.ShouldContain("RATE_LIMIT_UPLOAD_BYTES_PER_MINUTE '100' must be a whole number from 1024 to 1099511627776");
        report.Errors.ShouldContain("RATE_LIMIT_CONCURENT_UPLOADS is not a known variable; did you mean RATE_LIMIT_CONCURRENT_UPLOADS?");
    }

    [Fact]
    public async Task A_tenant_without_overrides_follows_the_instances_defaults()
    {
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?>
        {
            ["RATE_LIMIT_REQUESTS_PER_MINUTE"] = "1",
            ["RATE_LIMIT_REQUEST_BURST"] = "3",
        });
        var acme = await service.CreateTenantAsync("acme");

        for (var i = 0; i < 3; i++) (await acme.Http.GetAsync("/v1/objects")).RateLimit().Limit.ShouldBe(3);
        await (await acme.Http.GetAsync("/v1/objects")).ShouldBeRateLimitedAsync("requests");
    }
}
