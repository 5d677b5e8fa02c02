using System.Net.Http.Headers;
using System.Text;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>Wrong media types, huge headers, oversized JSON bodies and bad list parameters.</summary>
public sealed class RequestShapeTests
{
    [Theory]
    [InlineData("application/json", "{\"file\":\"x\"}")]
    [InlineData("multipart/mixed; boundary=b", "--b--")]
    [InlineData("text/plain", "no filename given")]
    public async Task An_upload_in_an_unsupported_shape_is_415(string contentType, string body)
    {
        await using var stocked = await StockedService.StartAsync();
        var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await stocked.Acme.Http.PostAsync("/v1/objects", content);

        (await response.ShouldBeProblemAsync(415)).GetProperty("detail").GetString()!.ShouldContain("multipart/form-data");
        await stocked.ShouldBeUnchangedAsync();
    }

    [Fact]
    public async Task A_40_kilobyte_header_is_431()
    {
        await using var stocked = await StockedService.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/objects");
        request.Headers.Add("X-Padding", new string('a', 40 * 1024));

        var response = await stocked.Acme.Http.SendAsync(request);

        await response.ShouldBeProblemAsync(431);
        await stocked.ShouldBeUnchangedAsync();
    }

    [Fact]
    public async Task A_json_body_over_one_megabyte_is_413()
    {
        await using var stocked = await StockedService.StartAsync();
        var huge = "{\"title\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";

        var patch = await stocked.Acme.Http.SendLargeAsync(HttpMethod.Patch, $"/v1/objects/{stocked.ObjectId}", new StringContent(huge, Encoding.UTF8, "application/json"));
        var tenant = await stocked.Service.Admin.SendLargeAsync(HttpMethod.Post, "/v1/admin/tenants", new StringContent(huge.Replace("title", "id"), Encoding.UTF8, "application/json"));

        await patch.ShouldBeProblemAsync(413);
        await tenant.ShouldBeProblemAsync(413);
        await stocked.ShouldBeUnchangedAsync();
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("limit=5000")]
    [InlineData("limit=1&limit=2")]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("cursor=eyJ0IjoxfQ")]
    [InlineData("sort=name")]
    public async Task A_bad_list_parameter_is_400(string query)
    {
        await using var stocked = await StockedService.StartAsync();

        await (await stocked.Acme.Http.GetAsync("/v1/objects?" + query)).ShouldBeProblemAsync(400);
    }
}
