using System.Net.Http.Json;
using System.Text.Json;

namespace StorageApi.Tests.Infrastructure;

/// <summary>
/// What a tenant has stored, as the API and the disk show it. Bad-input tests take one before and after the bad
/// request: equal snapshots and no staging files mean nothing was lost, changed or left behind.
/// </summary>
public sealed record StoredState(string Objects, string Blobs)
{
    public static async Task<StoredState> TakeAsync(RunningService service, TenantClient tenant)
    {
        var page = await tenant.Http.GetFromJsonAsync<JsonElement>("/v1/objects?limit=1000");
        return new StoredState(page.GetRawText(), string.Join("\n", service.BlobFiles()));
    }

    /// <summary>Asserts that the tenant's objects and the blob store are exactly as before and no upload is half-stored.</summary>
    public async Task ShouldBeUnchangedAsync(RunningService service, TenantClient tenant)
    {
        (await TakeAsync(service, tenant)).ShouldBe(this);
        service.StagingFiles().ShouldBeEmpty();
    }
}

/// <summary>A service with one tenant that already stored an object, ready for a bad request.</summary>
public sealed record StockedService(RunningService Service, TenantClient Acme, string ObjectId, StoredState Before) : IAsyncDisposable
{
    public static async Task<StockedService> StartAsync(IDictionary<string, string?>? variables = null)
    {
        var service = await RunningService.StartAsync(variables);
        var acme = await service.CreateTenantAsync("acme");
        var created = await acme.Http.UploadTextAsync("existing.txt", "0123456789abcdefghij", new Dictionary<string, string> { ["title"] = "kept" });
        return new StockedService(service, acme, created.GetProperty("id").GetString()!, await StoredState.TakeAsync(service, acme));
    }

    public Task ShouldBeUnchangedAsync() => Before.ShouldBeUnchangedAsync(Service, Acme);

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
