using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>Bad search parameters are 400 problems that say what is wrong; keys and tenants are checked as everywhere.</summary>
public sealed class SearchInputTests
{
    [Theory]
    [InlineData("", "'q' is required")]
    [InlineData("?q=", "'q' is required")]
    [InlineData("?q=%20%20", "'q' is required")]
    [InlineData("?q=a&q=b", "more than once")]
    [InlineData("?q=a&k=0", "'k' must be")]
    [InlineData("?q=a&k=101", "'k' must be")]
    [InlineData("?q=a&k=ten", "'k' must be")]
    [InlineData("?q=a&limit=5", "Unknown query parameter 'limit'")]
    [InlineData("?q=a&collection=../etc", "collection")]
    [InlineData("?q=a%00b", "control characters")]
    public async Task Bad_search_parameters_are_400_problems(string query, string detail)
    {
        await using var stocked = await StockedService.StartAsync();

        var problem = await (await stocked.Acme.Http.GetAsync("/v1/search" + query)).ShouldBeProblemAsync(400);

        problem.GetProperty("detail").GetString()!.ShouldContain(detail);
    }

    [Fact]
    public async Task A_query_longer_than_1000_characters_is_refused_and_1000_are_fine()
    {
        await using var stocked = await StockedService.StartAsync();

        await (await stocked.Acme.Http.GetAsync("/v1/search?q=" + new string('a', 1001))).ShouldBeProblemAsync(400);
        (await stocked.Acme.Http.SearchAsync(new string('a', 1000))).Ids().ShouldBeEmpty();
        (await stocked.Acme.Http.SearchAsync("\"\"\" ( ) * : ^ - + NEAR AND")).Ids().ShouldBeEmpty(); // FTS syntax is text here
    }

    [Fact]
    public async Task Similar_checks_k_the_id_and_the_key()
    {
        await using var stocked = await StockedService.StartAsync();
        var http = stocked.Acme.Http;

        await (await http.GetAsync($"/v1/objects/{stocked.ObjectId}/similar?k=0")).ShouldBeProblemAsync(400);
        await (await http.GetAsync($"/v1/objects/{stocked.ObjectId}/similar?q=x")).ShouldBeProblemAsync(400);
        await (await http.GetAsync("/v1/objects/obj_00000000000000000000000000000000/similar")).ShouldBeProblemAsync(404);
        await (await stocked.Service.Anonymous.GetAsync($"/v1/objects/{stocked.ObjectId}/similar")).ShouldBeProblemAsync(401);
        await (await stocked.Service.Anonymous.GetAsync("/v1/search?q=kept")).ShouldBeProblemAsync(401);
        await (await stocked.Service.Admin.GetAsync("/v1/search?q=kept")).ShouldBeProblemAsync(403);
    }
}
