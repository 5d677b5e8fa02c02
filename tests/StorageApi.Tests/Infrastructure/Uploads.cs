using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace StorageApi.Tests.Infrastructure;

/// <summary>Builds upload requests the way clients send them.</summary>
public static class Uploads
{
    public static MultipartFormDataContent Multipart(string filename, byte[] bytes, string? contentType = "text/plain", IDictionary<string, string>? fields = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        if (contentType is not null) file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "file", filename);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>()) form.Add(new StringContent(value), name);
        return form;
    }

    /// <summary>Uploads text as a file and returns the created object's JSON (asserting 201).</summary>
    public static async Task<JsonElement> UploadTextAsync(this HttpClient client, string filename, string text, IDictionary<string, string>? fields = null)
    {
        var response = await client.PostAsync("/v1/objects", Multipart(filename, Encoding.UTF8.GetBytes(text), "text/plain", fields));
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
            throw new InvalidOperationException($"upload failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// Sends a large body the way careful clients do, with "Expect: 100-continue": a server that refuses the request
    /// from its headers answers before the body is sent, instead of closing a socket the client is still writing to.
    /// </summary>
    public static Task<HttpResponseMessage> SendLargeAsync(this HttpClient client, HttpMethod method, string url, HttpContent content)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.ExpectContinue = true;
        return client.SendAsync(request);
    }

    /// <summary>Reads a problem+json body, asserting the status and the media type.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe(status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrEmpty();
        return problem;
    }
}
