using System.Diagnostics;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.OpenApi;

/// <summary>The document a real server serves passes Redocly's linter (.ci/lint-openapi: pinned version, redocly.yaml rules).</summary>
public sealed class OpenApiLintTests
{
    [Fact]
    public async Task The_served_document_lints_clean()
    {
        await using var service = await RunningService.StartAsync();
        using var folder = new TempFolder();
        var document = folder.Combine("openapi.json");
        await File.WriteAllTextAsync(document, await service.Anonymous.GetStringAsync("/openapi/v1.json"));

        var result = await TestProcess.RunAsync(new ProcessStartInfo("bash", [RepositoryRoot.Combine(".ci", "lint-openapi"), document]) { WorkingDirectory = folder.Path },
            TimeSpan.FromMinutes(5));

        result.ExitCode.ShouldBe(0, result.Output + result.Errors); // also when npx is missing: the script names nodejs and npm
        (result.Output + result.Errors).ShouldContain("Your API description is valid");
    }
}
