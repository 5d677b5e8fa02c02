using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>Uploads, multipart and raw, land in the content-addressed store with their metadata.</summary>
public sealed class UploadTests
{
    [Fact]
    public async Task A_multipart_upload_stores_bytes_and_every_field()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var bytes = Encoding.UTF8.GetBytes("quarterly numbers");
        var fields = new Dictionary<string, string>
        {
            ["title"] = "Q3 report", ["description"] = "numbers for Q3", ["tags"] = "finance, q3 ,finance",
            ["collection"] = "reports", ["public"] = "true", ["ttlHours"] = "24", ["metadata"] = """{"owner":"ana","pages":3}""",
        };

        var response = await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("report.txt", bytes, "text/plain", fields));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        id.ShouldMatch("^obj_[0-9a-f]{32}$");
        response.Headers.Location!.ToString().ShouldBe($"/v1/objects/{id}");
        created.GetProperty("filename").GetString().ShouldBe("report.txt");
        created.GetProperty("contentType").GetString().ShouldBe("text/plain");
        created.GetProperty("size").GetInt64().ShouldBe(bytes.Length);
        created.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        created.GetProperty("title").GetString().ShouldBe("Q3 report");
        created.GetProperty("description").GetString().ShouldBe("numbers for Q3");
        created.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["finance", "q3"]);
        created.GetProperty("collection").GetString().ShouldBe("reports");
        created.GetProperty("public").GetBoolean().ShouldBeTrue();
        created.GetProperty("metadata").GetProperty("pages").GetInt32().ShouldBe(3);
        (created.GetProperty("expiresAt").GetDateTime() - created.GetProperty("createdAt").GetDateTime()).ShouldBe(TimeSpan.FromHours(24));

        var fetched = await acme.Http.GetFromJsonAsync<JsonElement>($"/v1/objects/{id}");
        fetched.GetProperty("sha256").GetString().ShouldBe(created.GetProperty("sha256").GetString());
        (await acme.Http.GetByteArrayAsync($"/v1/objects/{id}/content")).ShouldBe(bytes);
    }

    [Fact]
    public async Task A_raw_upload_takes_its_name_and_fields_from_the_query()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        using var body = new ByteArrayContent(bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var response = await acme.Http.PostAsync("/v1/objects?filename=blob.bin&collection=raw&tags=a,b", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        created.GetProperty("filename").GetString().ShouldBe("blob.bin");
        created.GetProperty("contentType").GetString().ShouldBe("application/octet-stream");
        created.GetProperty("collection").GetString().ShouldBe("raw");
        created.GetProperty("size").GetInt64().ShouldBe(bytes.Length);
        (await acme.Http.GetByteArrayAsync(created.GetProperty("contentUrl").GetString())).ShouldBe(bytes);
    }

    [Fact]
    public async Task Bytes_land_in_the_blob_store_and_no_staging_file_remains()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        var created = await acme.Http.UploadTextAsync("a.txt", "hello blob store");

        var sha = created.GetProperty("sha256").GetString()!;
        service.BlobFiles().ShouldBe([await service.BlobKeyOfAsync("acme", sha)]);
        service.StagingFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_same_bytes_uploaded_twice_are_two_objects_sharing_one_blob()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");

        var first = await acme.Http.UploadTextAsync("one.txt", "same bytes");
        var second = await acme.Http.UploadTextAsync("two.txt", "same bytes");

        first.GetProperty("id").GetString().ShouldNotBe(second.GetProperty("id").GetString());
        first.GetProperty("sha256").GetString().ShouldBe(second.GetProperty("sha256").GetString());
        service.BlobFiles().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Tenants_never_share_blobs_even_for_equal_bytes()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var globex = await service.CreateTenantAsync("globex");

        await acme.Http.UploadTextAsync("a.txt", "equal");
        await globex.Http.UploadTextAsync("g.txt", "equal");

        service.BlobFiles().Select(f => f.Split('/')[0]).ShouldBe(["acme", "globex"]);
    }
}
