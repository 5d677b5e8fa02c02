using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`storage-api variables` prints the variables this build reads, one a line, so deploy tools can check a configuration against them.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class VariablesVerbTests(PublishedService published)
{
    [Fact]
    public async Task Prints_every_known_variable_one_a_line_even_where_the_configuration_is_invalid()
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.With(("ADMIN_API_KEY", null)), "variables");

        result.ExitCode.ShouldBe(0, result.Errors);
        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(KnownVariables.All);
        result.Errors.ShouldBeEmpty();
        production.Files().ShouldAllBe(f => f.StartsWith(production.WorkingDirectory));
    }

    [Fact]
    public async Task An_extra_argument_is_a_usage_error()
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, "variables", "--json");

        result.ExitCode.ShouldBe(2);
        result.Errors.Split('\n')[0].ShouldBe("error: cannot understand 'variables --json'");
    }
}
