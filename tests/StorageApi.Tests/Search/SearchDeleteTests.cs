using System.Net;
using Microsoft.Extensions.DependencyInjection;
using StorageApi.Objects;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>Deleting an object, or its expiry, removes its vectors, its keyword text and its queue entry.</summary>
public sealed class SearchDeleteTests
{
    private static long Traces(RunningService service, string objectId) =>
        service.Count("SELECT count(*) FROM ObjectVectors WHERE ObjectId = $id", ("$id", objectId))
        + service.Count("SELECT count(*) FROM ObjectTexts WHERE ObjectId = $id", ("$id", objectId))
        + service.Count("SELECT count(*) FROM EmbeddingQueue WHERE ObjectId = $id", ("$id", objectId));

    [Fact]
    public async Task A_deleted_object_is_gone_from_search_similar_and_the_search_tables()
    {
        await using var service = await RunningService.StartAsync(configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        var kept = (await acme.Http.UploadTextAsync("kept.txt", "Storm warning for the harbour", new Dictionary<string, string> { ["title"] = "Storm warning" })).Id();
        var gone = (await acme.Http.UploadTextAsync("gone.txt", "Storm warning for the bay", new Dictionary<string, string> { ["title"] = "Storm warning" })).Id();
        var queued = (await acme.Http.UploadTextAsync("queued.txt", "Storm warning, unembedded", new Dictionary<string, string> { ["title"] = "Storm warning" })).Id();
        service.Count("SELECT count(*) FROM EmbeddingQueue").ShouldBe(3);
        await service.DrainAsync();
        var queuedAgain = (await acme.Http.UploadTextAsync("late.txt", "Storm warning, late", new Dictionary<string, string> { ["title"] = "Storm warning" })).Id();
        (await acme.Http.SearchAsync("storm warning")).Ids().Count.ShouldBe(4);
        Traces(service, gone).ShouldBe(2); // vector and text
        Traces(service, queuedAgain).ShouldBe(2); // text and queue entry

        (await acme.Http.DeleteAsync($"/v1/objects/{gone}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await acme.Http.DeleteAsync($"/v1/objects/{queuedAgain}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var results = await acme.Http.SearchAsync("storm warning bay");
        results.Ids().ShouldBe([kept, queued], ignoreOrder: true);
        (await acme.Http.SimilarAsync(kept)).Ids().ShouldBe([queued]);
        await (await acme.Http.GetAsync($"/v1/objects/{gone}/similar")).ShouldBeProblemAsync(404);
        Traces(service, gone).ShouldBe(0);
        Traces(service, queuedAgain).ShouldBe(0);
        service.KeywordMatches("bay").ShouldBe(0);
        service.KeywordMatches("harbour").ShouldBe(1);
        service.Count("SELECT count(*) FROM ObjectVectors").ShouldBe(2);
        (await service.DrainAsync()).ShouldBe(0); // nothing left to embed for the deleted object
    }

    [Fact]
    public async Task The_expiry_sweep_removes_vectors_and_keyword_texts_too()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var service = await RunningService.StartAsync(clock: clock, configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        var temporary = (await acme.Http.UploadTextAsync("temp.txt", "Ferry timetable", new Dictionary<string, string> { ["ttlHours"] = "1" })).Id();
        var lasting = (await acme.Http.UploadTextAsync("keep.txt", "Ferry timetable", new Dictionary<string, string> { ["title"] = "Ferry" })).Id();
        await service.DrainAsync();

        clock.Advance(TimeSpan.FromMinutes(61));
        (await acme.Http.SearchAsync("ferry timetable")).Ids().ShouldBe([lasting]); // expired: hidden at once
        (await service.Services.GetRequiredService<ExpiredObjectSweeper>().SweepOnceAsync(CancellationToken.None)).ShouldBe(1);

        Traces(service, temporary).ShouldBe(0);
        Traces(service, lasting).ShouldBe(2);
        (await acme.Http.SimilarAsync(lasting)).Ids().ShouldBeEmpty();
    }
}
