using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Cli;

/// <summary>`storage-api verify [--rehash]` and `verify --list` from the published binary, on a copy of a tenant's data.</summary>
[Collection(PublishedServiceCollection.Name)]
public sealed class VerifyVerbTests(PublishedService published)
{
    [Fact]
    public async Task Two_databases_with_the_same_objects_have_the_same_digest_and_a_lost_or_altered_blob_fails_verify_naming_it()
    {
        using var source = new ProductionEnvironment();
        using var copy = new ProductionEnvironment();
        var (dir, env) = (source.WorkingDirectory, source.Variables);
        (await published.RunAsync(dir, env, "migrate")).ExitCode.ShouldBe(0);
        (await published.RunAsync(dir, env, "tenants", "create", "acme")).ExitCode.ShouldBe(0);
        var tenantKey = (await published.RunAsync(dir, env, "keys", "create", "acme")).Output.Trim();
        var objects = new List<(string Id, string Sha256, long Size)>();
        await using (var server = await published.StartServerAsync(dir, env))
        {
            server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
            foreach (var text in new[] { "first", "second object", "third" })
            {
                var created = await server.Http.PostAsync("/v1/objects", Uploads.Multipart("f.txt", System.Text.Encoding.UTF8.GetBytes(text)));
                created.StatusCode.ShouldBe(HttpStatusCode.Created);
                var view = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
                objects.Add((view.GetProperty("id").GetString()!, view.GetProperty("sha256").GetString()!, view.GetProperty("size").GetInt64()));
            }
        }
        (await published.RunAsync(dir, env, "backup", Path.Combine(source.Root, "copy.db"))).ExitCode.ShouldBe(0);
        Directory.CreateDirectory(copy.DataDirectory);
        File.Copy(Path.Combine(source.Root, "copy.db"), copy.DatabaseFile);
        CopyFolder(Path.Combine(source.DataDirectory, "blobs"), Path.Combine(copy.DataDirectory, "blobs"));

        var verified = await published.RunAsync(dir, env, "verify");
        var rehashed = await published.RunAsync(dir, env, "verify", "--rehash");
        var copied = await published.RunAsync(copy.WorkingDirectory, copy.Variables, "verify", "--rehash");
        var list = await published.RunAsync(dir, env, "verify", "--list");

        verified.ExitCode.ShouldBe(0, verified.Errors);
        verified.Errors.ShouldBeEmpty();
        var line = verified.Output.TrimEnd('\n');
        line.ShouldMatch("""^\{"objects":3,"blobs":3,"bytes":23,"digest":"[0-9a-f]{64}","missing":0,"corrupt":0\}$""");
        rehashed.Output.ShouldBe(verified.Output);
        copied.ExitCode.ShouldBe(0, copied.Errors);
        copied.Output.ShouldBe(verified.Output, "the same objects, the same digest");
        list.ExitCode.ShouldBe(0, list.Errors);
        list.Output.ShouldBe(string.Concat(objects.OrderBy(o => o.Id, StringComparer.Ordinal).Select(o => $"{o.Id} {o.Sha256} {o.Size}\n")));

        // One object fewer in the copy: another digest.
        await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={copy.DatabaseFile};Pooling=false"))
        {
            await database.OpenAsync();
            await using var delete = database.CreateCommand();
            delete.CommandText = $"DELETE FROM \"Objects\" WHERE \"Id\" = '{objects[2].Id}'";
            (await delete.ExecuteNonQueryAsync()).ShouldBe(1);
        }
        var fewer = JsonDocument.Parse(await StdoutOfAsync(copy, "verify")).RootElement;
        fewer.GetProperty("objects").GetInt32().ShouldBe(2);
        fewer.GetProperty("digest").GetString().ShouldNotBe(JsonDocument.Parse(line).RootElement.GetProperty("digest").GetString());

        // A blob file lost, another altered in place (same size): verify names the first, --rehash both.
        var blobFiles = Directory.EnumerateFiles(Path.Combine(source.DataDirectory, "blobs", "acme"), "*", SearchOption.AllDirectories)
            .ToDictionary(File.ReadAllText);
        var (lost, altered) = (objects[0], objects[1]);
        File.Delete(blobFiles["first"]);
        File.WriteAllText(blobFiles["second object"], "SECOND OBJECT");
        var missing = await published.RunAsync(dir, env, "verify");
        var corrupt = await published.RunAsync(dir, env, "verify", "--rehash");

        missing.ExitCode.ShouldBe(1);
        missing.Output.ShouldContain("\"missing\":1,\"corrupt\":0}");
        missing.Errors.Trim().ShouldStartWith($"error: missing blob acme/{lost.Sha256}: no acme/");
        missing.Errors.Trim().ShouldEndWith($" in file: (objects: {lost.Id})");
        corrupt.ExitCode.ShouldBe(1);
        corrupt.Output.ShouldContain("\"missing\":1,\"corrupt\":1}");
        var errors = corrupt.Errors.Trim().Split('\n');
        errors.Length.ShouldBe(2, corrupt.Errors);
        errors.ShouldContain(e => e.StartsWith($"error: corrupt blob acme/{altered.Sha256}: acme/") && e.EndsWith($"(objects: {altered.Id})") && e.Contains(" has sha256 "));
    }

    [Theory]
    [InlineData("verify --all")]
    [InlineData("verify --rehash --list")]
    [InlineData("verify list")]
    public async Task An_unknown_option_is_a_usage_error(string command)
    {
        using var production = new ProductionEnvironment();

        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, command.Split(' '));

        result.ExitCode.ShouldBe(2, result.Errors);
        result.Errors.Split('\n')[0].ShouldBe($"error: cannot understand '{command}'");
    }

    private async Task<string> StdoutOfAsync(ProductionEnvironment production, params string[] args)
    {
        var result = await published.RunAsync(production.WorkingDirectory, production.Variables, args);
        result.ExitCode.ShouldBe(0, result.Errors);
        return result.Output;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
