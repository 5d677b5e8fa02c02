// README's first session through a client that Kiota generated from the served OpenAPI document (GeneratedClientTests).
// Built in a temporary folder next to the generated code; prints one line per step for the test to check.
using System.Text;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using StorageClient.Generated;
using StorageClient.Generated.Models;

var (baseUrl, adminKey) = (args[0], args[1]);
// Kiota's ApiKeyAuthenticationProvider refuses plain http, and the test server listens on http://127.0.0.1: the key
// goes on the HttpClient instead, as the document's security schemes say (X-API-Key or Authorization: Bearer).
StorageClient.Generated.StorageClient Client(string key, string header, string prefix = "")
{
    var http = KiotaClientFactory.Create();
    http.DefaultRequestHeaders.TryAddWithoutValidation(header, prefix + key);
    return new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = baseUrl });
}

var admin = Client(adminKey, "X-API-Key");
var tenant = await admin.V1.Admin.Tenants.PostAsync(new CreateTenantRequest { Id = "acme", Name = "Acme" });
Console.WriteLine($"tenant {tenant!.Id}");
var key = await admin.V1.Admin.Tenants["acme"].Keys.PostAsync(new CreateKeyRequest { Name = "laptop" });
Console.WriteLine($"key {key!.Key![..3]}");

var acme = Client(key.Key, "Authorization", "Bearer ");
var upload = new MultipartBody();
upload.AddOrReplacePart("file", "text/plain", new MemoryStream(Encoding.UTF8.GetBytes("hello, storage\n")), "hello.txt");
upload.AddOrReplacePart("title", "text/plain", "Greeting");
upload.AddOrReplacePart("tags", "text/plain", "demo,readme");
upload.AddOrReplacePart("collection", "text/plain", "docs");
upload.AddOrReplacePart("metadata", "application/json", new ObjectMetadata { AdditionalData = { ["source"] = "readme", ["pages"] = 1 } });
var created = await acme.V1.Objects.PostAsync(upload);
Console.WriteLine($"uploaded {created!.Id} {created.Filename} {created.Size} {created.Title} {string.Join(",", created.Tags!)} {created.Collection} " +
                  $"source={created.Metadata!.AdditionalData["source"]}");

var page = await acme.V1.Objects.GetAsync(request => request.QueryParameters.Tag = "demo");
Console.WriteLine($"listed {string.Join(",", page!.Items!.Select(o => o.Id))}");

var found = await acme.V1.Search.GetAsync(request =>
{
    request.QueryParameters.Q = "hello";
    request.QueryParameters.K = 5;
});
Console.WriteLine($"found {string.Join(",", found!.Items!.Select(h => h.Object!.Id))}");

await using var range = await acme.V1.Objects[created.Id].Content.GetAsync(request => request.Headers.Add("Range", "bytes=0-4"));
using var bytes = new MemoryStream();
await range!.CopyToAsync(bytes);
Console.WriteLine($"range [{Encoding.UTF8.GetString(bytes.ToArray())}]");
