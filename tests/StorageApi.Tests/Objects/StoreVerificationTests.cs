using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.ObjectStores;
using StorageApi.Objects;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Objects;

/// <summary>What `storage-api verify` computes, on whichever database and blob store the tests run on (file: or S3).</summary>
public sealed class StoreVerificationTests
{
    private static async Task<(VerificationReport Report, List<string> Problems)> VerifyAsync(RunningService service, bool rehash)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var problems = new List<string>();
        var report = await ActivatorUtilities.CreateInstance<StoreVerification>(scope.ServiceProvider).VerifyAsync(rehash, problems.Add, CancellationToken.None);
        return (report, problems);
    }

    [Fact]
    public async Task Verify_digests_every_object_and_names_each_blob_that_is_missing_cut_short_or_altered()
    {
        await using var service = await RunningService.StartAsync();
        var acme = await service.CreateTenantAsync("acme");
        var globex = await service.CreateTenantAsync("globex");
        var uploaded = new List<(string Tenant, string Id, string Sha256, long Size)>();
        foreach (var (tenant, text) in new[] { (acme, "shared bytes"), (acme, "shared bytes"), (acme, "acme's own"), (globex, "globex's own") })
        {
            var created = await tenant.Http.UploadTextAsync("f.txt", text);
            uploaded.Add((tenant.Id, created.GetProperty("id").GetString()!, created.GetProperty("sha256").GetString()!, created.GetProperty("size").GetInt64()));
        }
        var expectedDigest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(
            uploaded.OrderBy(o => o.Tenant, StringComparer.Ordinal).ThenBy(o => o.Id, StringComparer.Ordinal).Select(o => $"{o.Tenant}\t{o.Id}\t{o.Sha256}\t{o.Size}\n")))));

        var (clean, none) = await VerifyAsync(service, rehash: true);

        clean.ShouldBe(new VerificationReport(4, 3, "shared bytes".Length + "acme's own".Length + "globex's own".Length, expectedDigest, 0, 0));
        none.ShouldBeEmpty();

        var store = service.Services.GetRequiredService<ObjectStoreFactory>().Blobs;
        var shared = uploaded[0];
        var (own, other) = (uploaded[2], uploaded[3]);
        await store.DeleteAsync(await service.BlobKeyOfAsync("acme", shared.Sha256), CancellationToken.None);
        await store.PutAsync(await service.BlobKeyOfAsync("acme", own.Sha256), new MemoryStream("ACME's own"u8.ToArray()), CancellationToken.None); // same size
        await store.PutAsync(await service.BlobKeyOfAsync("globex", other.Sha256), new MemoryStream("globex"u8.ToArray()), CancellationToken.None);

        var (sized, sizeProblems) = await VerifyAsync(service, rehash: false);
        var (hashed, hashProblems) = await VerifyAsync(service, rehash: true);

        (sized with { Missing = 0, Corrupt = 0 }).ShouldBe(clean, "the rows, and so counts and digest, did not change");
        (sized.Missing, sized.Corrupt).ShouldBe((1, 1));
        sizeProblems.Count.ShouldBe(2);
        var sharedIds = string.Join(", ", new[] { uploaded[0].Id, uploaded[1].Id }.Order(StringComparer.Ordinal));
        sizeProblems.ShouldContain(p => p.StartsWith($"missing blob acme/{shared.Sha256}: no ") && p.EndsWith($"(objects: {sharedIds})"));
        sizeProblems.ShouldContain(p => p.StartsWith($"corrupt blob globex/{other.Sha256}: ") && p.Contains($"has 6 bytes, its row says {other.Size}") && p.EndsWith($"(objects: {other.Id})"));
        (hashed.Missing, hashed.Corrupt).ShouldBe((1, 2));
        var altered = Convert.ToHexStringLower(SHA256.HashData("ACME's own"u8));
        hashProblems.ShouldContain(p => p.StartsWith($"corrupt blob acme/{own.Sha256}: ") && p.Contains($"has sha256 {altered}") && p.EndsWith($"(objects: {own.Id})"));
    }

    [Fact]
    public async Task Verify_list_names_every_object_of_every_tenant_by_id()
    {
        await using var service = await RunningService.StartAsync();
        var ids = new List<string>();
        foreach (var tenant in new[] { await service.CreateTenantAsync("acme"), await service.CreateTenantAsync("globex") })
            for (var i = 0; i < 3; i++)
                ids.Add((await tenant.Http.UploadTextAsync("f.txt", $"{tenant.Id} {i}")).GetProperty("id").GetString()!);
        await using var scope = service.Services.CreateAsyncScope();

        var lines = await ActivatorUtilities.CreateInstance<StoreVerification>(scope.ServiceProvider).ListAsync(CancellationToken.None).ToListAsync();

        lines.Select(l => l.Split(' ')[0]).ShouldBe(ids.Order(StringComparer.Ordinal));
        lines.ShouldAllBe(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^obj_[^ ]+ [0-9a-f]{64} [0-9]+$"));
    }
}
