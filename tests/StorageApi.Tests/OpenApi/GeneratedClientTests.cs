using System.Diagnostics;
using System.Xml.Linq;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.OpenApi;

/// <summary>
/// Generates a C# client with Kiota (the repository's dotnet local tool) from the document a real server serves, builds
/// a small program around it in a temporary folder, and runs README's first session through it against that server.
/// </summary>
public sealed class GeneratedClientTests
{
    [Fact]
    public async Task A_kiota_client_generated_from_the_served_document_runs_the_readme_session()
    {
        await using var service = await RunningService.StartAsync();
        using var folder = new TempFolder();
        var document = folder.Combine("openapi.json");
        await File.WriteAllTextAsync(document, await service.Anonymous.GetStringAsync("/openapi/v1.json"));

        await RunAsync("dotnet", ["tool", "restore"], RepositoryRoot.Path);
        await RunAsync("dotnet",
            ["kiota", "generate", "--language", "CSharp", "--openapi", document, "--output", folder.Combine("client", "Generated"),
             "--class-name", "StorageClient", "--namespace-name", "StorageClient.Generated", "--exclude-backward-compatible",
             "--log-level", "Warning"],
            RepositoryRoot.Path);
        await File.WriteAllTextAsync(folder.Combine("client", "client.csproj"), ProjectFile());
        File.Copy(Path.Combine(AppContext.BaseDirectory, "OpenApi", "ClientSession", "Program.cs"), folder.Combine("client", "Program.cs"));

        var output = await RunAsync("dotnet", ["run", "--project", folder.Combine("client"), "--", service.BaseAddress.ToString().TrimEnd('/'), RunningService.AdminKey],
            folder.Path);

        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldContain("tenant acme");
        lines.ShouldContain("key sk_");
        var uploaded = lines.Single(l => l.StartsWith("uploaded ", StringComparison.Ordinal)).Split(' ');
        var id = uploaded[1];
        uploaded[2..].ShouldBe(["hello.txt", "15", "Greeting", "demo,readme", "docs", "source=readme"]);
        lines.ShouldContain($"listed {id}");
        lines.ShouldContain($"found {id}");
        lines.ShouldContain("range [hello]");
    }

    /// <summary>The Kiota packages at the versions Directory.Packages.props pins, restored from the usual NuGet feed.</summary>
    private static string ProjectFile()
    {
        var versions = XDocument.Load(RepositoryRoot.Combine("Directory.Packages.props")).Descendants("PackageVersion")
            .Where(p => ((string)p.Attribute("Include")!).StartsWith("Microsoft.Kiota.", StringComparison.Ordinal))
            .Select(p => $"""    <PackageReference Include="{p.Attribute("Include")!.Value}" Version="{p.Attribute("Version")!.Value}" />""");
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NoWarn>$(NoWarn);CS8600;CS8601;CS8602;CS8603;CS8604;CS8618;CS8625</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {string.Join("\n", versions)}
              </ItemGroup>
            </Project>
            """;
    }

    private static Task<string> RunAsync(string file, string[] args, string workingDirectory) =>
        TestProcess.RequireAsync(new ProcessStartInfo(file, args) { WorkingDirectory = workingDirectory }
            .WithEnvironment(new Dictionary<string, string> { ["KIOTA_OFFLINE_ENABLED"] = "true", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" }), TimeSpan.FromMinutes(8));
}
