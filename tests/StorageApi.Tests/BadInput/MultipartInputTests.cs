using System.Net.Http.Headers;
using System.Text;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.BadInput;

/// <summary>Broken multipart bodies are 400 problems and store nothing.</summary>
public sealed class MultipartInputTests
{
    private static ByteArrayContent RawMultipart(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ReplaceLineEndings("\r\n")));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "", "multipart/form-data", "boundary" },
        { "--xyz\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\n\nhello", "multipart/form-data; boundary=xyz", "malformed" },
        { "--xyz\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\n\nhello\n--xyz--\n", "multipart/form-data; boundary=abc", "malformed" },
        { "--xyz\nContent-Type: text/plain\n\nhello\n--xyz--\n", "multipart/form-data; boundary=xyz", "Content-Disposition" },
        { "--xyz\nContent-Disposition: form-data; name=\"title\"\n\nno file here\n--xyz--\n", "multipart/form-data; boundary=xyz", "no 'file' part" },
        { "--xyz\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\n\none\n--xyz\nContent-Disposition: form-data; name=\"file\"; filename=\"b.txt\"\n\ntwo\n--xyz--\n", "multipart/form-data; boundary=xyz", "exactly one 'file' part" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_multipart_body_is_400_and_stores_nothing(string body, string contentType, string detail)
    {
        await using var stocked = await StockedService.StartAsync();

        var response = await stocked.Acme.Http.PostAsync("/v1/objects", RawMultipart(body, contentType));

        var problem = await response.ShouldBeProblemAsync(400);
        problem.GetProperty("detail").GetString()!.ShouldContain(detail, Case.Insensitive);
        await stocked.ShouldBeUnchangedAsync();
    }

    [Fact]
    public async Task A_body_that_stops_in_the_middle_of_the_file_stores_nothing()
    {
        await using var stocked = await StockedService.StartAsync();
        var form = Uploads.Multipart("big.bin", new byte[200_000], "application/octet-stream");
        var bytes = await form.ReadAsByteArrayAsync();
        var truncated = new ByteArrayContent(bytes[..100_000]);
        truncated.Headers.ContentType = MediaTypeHeaderValue.Parse(form.Headers.ContentType!.ToString());

        var response = await stocked.Acme.Http.PostAsync("/v1/objects", truncated);

        await response.ShouldBeProblemAsync(400);
        await stocked.ShouldBeUnchangedAsync();
    }
}
