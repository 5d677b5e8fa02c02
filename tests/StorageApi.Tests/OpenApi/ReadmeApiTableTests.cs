using System.Text.Json;
using System.Text.RegularExpressions;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.OpenApi;

/// <summary>README's API table and the OpenAPI document list the same routes (HEAD aside: README says every GET has one).</summary>
public sealed partial class ReadmeApiTableTests
{
    [Fact]
    public async Task The_readme_api_table_lists_exactly_the_documents_routes()
    {
        await using var service = await RunningService.StartAsync();
        var document = JsonDocument.Parse(await service.Anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name != "head").Select(o => $"{o.Name.ToUpperInvariant()} {path.Name}"))
            .Order().ToList();

        var readme = await File.ReadAllTextAsync(RepositoryRoot.Combine("README.md"));
        var section = ApiSection().Match(readme).Groups[1].Value;
        var table = string.Join('\n', section.Split('\n').Where(line => line.StartsWith('|')));
        var listed = Route().Matches(table).Select(m => $"{m.Groups["method"].Value} {m.Groups["path"].Value}").Distinct().Order().ToList();

        listed.ShouldBe(documented);
    }

    [GeneratedRegex(@"## The API in brief\n(.*?)\n## ", RegexOptions.Singleline)]
    private static partial Regex ApiSection();

    [GeneratedRegex(@"`(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>/[^`?\s]*)")]
    private static partial Regex Route();
}
