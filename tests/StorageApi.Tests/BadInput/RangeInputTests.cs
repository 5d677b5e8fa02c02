using System.Net;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>Ranges outside the object are 416 problems; ranges that cannot be parsed are ignored, as RFC 9110 says.</summary>
public sealed class RangeInputTests
{
    private static async Task<HttpResponseMessage> GetWithRangeAsync(StockedService stocked, string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/objects/{stocked.ObjectId}/content");
        request.Headers.TryAddWithoutValidation("Range", range);
        return await stocked.Acme.Http.SendAsync(request);
    }

    [Theory]
    [InlineData("bytes=20-30")]
    [InlineData("bytes=1000-2000")]
    [InlineData("bytes=-0")]
    public async Task An_unsatisfiable_range_is_416_with_the_size(string range)
    {
        await using var stocked = await StockedService.StartAsync();

        var response = await GetWithRangeAsync(stocked, range);

        await response.ShouldBeProblemAsync(416);
        response.Content.Headers.ContentRange!.ToString().ShouldBe("bytes */20");
        await stocked.ShouldBeUnchangedAsync();
    }

    [Theory]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-2")]
    [InlineData("pages=1-2")]
    [InlineData("bytes")]
    public async Task A_malformed_range_is_ignored_and_the_whole_object_served(string range)
    {
        await using var stocked = await StockedService.StartAsync();

        var response = await GetWithRangeAsync(stocked, range);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("0123456789abcdefghij");
    }
}
