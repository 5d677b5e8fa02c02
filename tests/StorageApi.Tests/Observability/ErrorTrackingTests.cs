using System.Net;
using StorageApi.Configuration;
using StorageApi.Tests.Infrastructure;
using StorageApi.Tests.Search;

namespace StorageApi.Tests.Observability;

/// <summary>With SENTRY_DSN set, an unhandled error reaches Sentry tagged with tenant, environment, release and request id, and nothing secret.</summary>
public sealed class ErrorTrackingTests
{
    [Fact]
    public async Task An_unhandled_error_is_sent_with_its_tags_and_without_keys_or_contents()
    {
        await using var ingest = await SentryIngest.StartAsync();
        // The embedding worker stays still: on PostgreSQL, its batch for the upload and the DROP below can deadlock.
        await using var service = await RunningService.StartAsync(new Dictionary<string, string?> { [KnownVariables.SentryDsn] = ingest.Dsn },
            configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        (await acme.Http.UploadTextAsync("secret.txt", "confidential-file-content")).GetProperty("id").GetString().ShouldNotBeNull();
        // A real fault: the objects table disappears under the running service.
        await service.ExecuteSqlAsync(TestDatabase.IsPostgreSql ? "DROP TABLE \"Objects\" CASCADE" : "DROP TABLE \"Objects\"");

        var response = await acme.Http.GetAsync("/v1/objects?collection=secret-collection");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var envelope = await ingest.WaitForEventAsync(TimeSpan.FromSeconds(20), "\"route\":\"/v1/objects\"");
        envelope.ShouldContain("\"tenant\":\"acme\"");
        envelope.ShouldContain("\"environment\":\"development\"");
        envelope.ShouldContain("\"release\":\"");
        envelope.ShouldContain("\"request_id\":\"");
        envelope.ShouldContain(TestDatabase.IsPostgreSql ? "relation \\u0022Objects\\u0022 does not exist" : "no such table: Objects");
        envelope.ShouldNotContain(acme.Key);
        envelope.ShouldNotContain(RunningService.AdminKey);
        envelope.ShouldNotContain("confidential-file-content");
        envelope.ShouldNotContain("secret-collection"); // query strings stay home
        envelope.ShouldNotContain("\"Authorization\":", Case.Insensitive); // no headers at all
        envelope.ShouldNotContain("Bearer ");
        await Task.Delay(500);
        // One failed request, one event (background work that trips over the missing table may report its own).
        ingest.Envelopes.Count(e => e.Contains("\"type\":\"event\"") && e.Contains("\"route\":\"/v1/objects\"")).ShouldBe(1);
    }
}
