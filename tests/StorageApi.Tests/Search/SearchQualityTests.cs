using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageApi.Tests.Infrastructure;

namespace StorageApi.Tests.Search;

/// <summary>
/// Sanity of the rankings with the built-in local embedder (lexical: shared words and word parts). Not a benchmark of
/// relevance: it checks that fusion does what it says with a small, readable corpus.
/// </summary>
public sealed class SearchQualityTests
{
    private static readonly string GardenDiary = "Garden diary. " + string.Concat(Enumerable.Repeat(
        "We planted tomatoes, beans, courgettes and squash along the south wall; the soil was dry and needed compost. " +
        "Aphids appeared on the roses and we sprayed soapy water. The apple tree blossomed early this spring. ", 6)) +
        "I keep a logbook of the weather.";

    [Fact]
    public async Task The_object_that_shares_the_query_words_ranks_first_and_fusion_brings_keyword_only_and_vector_only_hits()
    {
        await using var service = await RunningService.StartAsync(configureServices: SearchTesting.QuickWorker());
        var acme = await service.CreateTenantAsync("acme");
        var logbook = (await acme.Http.UploadTextAsync("keeper.txt", "Wind north-west, force 5.", new Dictionary<string, string>
        {
            ["title"] = "Lighthouse keeper's logbook", ["description"] = "Daily notes from the lighthouse keeper on the northern coast", ["tags"] = "maritime",
        })).Id();
        var brittany = (await acme.Http.UploadTextAsync("brittany.txt", "Photos.", new Dictionary<string, string> { ["title"] = "Lighthouses of Brittany" })).Id();
        var garden = (await acme.Http.UploadTextAsync("garden.txt", GardenDiary)).Id();
        var unrelated = new[]
        {
            (await acme.Http.UploadTextAsync("tomatoes.csv", "month,task", new Dictionary<string, string> { ["title"] = "Tomato planting calendar" })).Id(),
            (await acme.Http.UploadTextAsync("q3.txt", "Revenue grew.", new Dictionary<string, string> { ["title"] = "Quarterly revenue report" })).Id(),
        };
        await service.WaitForEmbeddingsAsync();

        var results = await acme.Http.SearchAsync("lighthouse logbook");

        results.Ids()[0].ShouldBe(logbook);
        var best = results.Hit(logbook);
        best.GetProperty("vector").GetProperty("rank").GetInt32().ShouldBe(1);
        best.GetProperty("keyword").GetProperty("rank").GetInt32().ShouldBe(1);
        best.GetProperty("score").GetDouble().ShouldBe(2.0 / 3, 1e-6); // first in both lists: 1/(2+1) twice
        // "Lighthouses" is not the word "lighthouse" (no stemming), but shares most of its trigrams: found by vector only.
        var plural = results.Hit(brittany);
        plural.GetProperty("keyword").ValueKind.ShouldBe(JsonValueKind.Null);
        plural.GetProperty("vector").GetProperty("similarity").GetDouble().ShouldBeGreaterThan(0.15);
        // One word deep in a long diary about something else: a keyword match, too far away in vector space.
        var diary = results.Hit(garden);
        diary.GetProperty("vector").ValueKind.ShouldBe(JsonValueKind.Null);
        diary.GetProperty("keyword").GetProperty("score").GetDouble().ShouldBeGreaterThan(0);
        results.Ids().ShouldNotContain(unrelated[0]);
        results.Ids().ShouldNotContain(unrelated[1]);
        results.GetProperty("embedder").GetProperty("provider").GetString().ShouldBe("local");
        results.GetProperty("embedder").GetProperty("model").GetString().ShouldBe("hashing-v1");
        results.GetProperty("embedder").GetProperty("dimensions").GetInt32().ShouldBe(384);
        // Items are the objects as the list endpoint shows them.
        var listed = await acme.Http.GetFromJsonAsync<JsonElement>("/v1/objects?q=keeper");
        best.GetProperty("object").GetRawText().ShouldBe(listed.GetProperty("items")[0].GetRawText());
    }

    [Fact]
    public async Task Keyword_matches_are_found_before_the_worker_ran_and_the_text_of_text_files_is_searched()
    {
        await using var service = await RunningService.StartAsync(configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        var notes = (await acme.Http.UploadTextAsync("biology.md", "# Cells\nThe mitochondria is the powerhouse of the cell.")).Id();
        var binary = await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("blob.bin", Encoding.UTF8.GetBytes("mitochondria\0\u0001binary"), "application/octet-stream"));
        binary.EnsureSuccessStatusCode();
        var withMetadata = (await acme.Http.UploadTextAsync("plain.txt", "nothing here", new Dictionary<string, string>
        {
            ["metadata"] = """{"author":"Rosalind Franklin","pages":12}""",
        })).Id();

        var byContent = await acme.Http.SearchAsync("mitochondria");
        var byMetadata = await acme.Http.SearchAsync("franklin");
        var byMetadataKey = await acme.Http.SearchAsync("author");

        byContent.Ids().ShouldBe([notes]); // the binary file's bytes are not read as text
        byContent.GetProperty("embedder").ValueKind.ShouldBe(JsonValueKind.Null); // nothing embedded yet: keywords only
        byMetadata.Ids().ShouldBe([withMetadata]);
        byMetadataKey.Ids().ShouldBeEmpty(); // values are searched, not keys
    }

    [Fact]
    public async Task Collection_and_content_type_filters_apply_to_both_lists()
    {
        await using var service = await RunningService.StartAsync(configureServices: SearchTesting.QuickWorker());
        var acme = await service.CreateTenantAsync("acme");
        var report = (await acme.Http.UploadTextAsync("report.txt", "annual report", new Dictionary<string, string> { ["collection"] = "finance" })).Id();
        var json = await acme.Http.PostAsync("/v1/objects", Uploads.Multipart("report.json", Encoding.UTF8.GetBytes("""{"annual":"report"}"""), "application/json",
            new Dictionary<string, string> { ["collection"] = "finance" }));
        var reportJson = (await json.Content.ReadFromJsonAsync<JsonElement>()).Id();
        var elsewhere = (await acme.Http.UploadTextAsync("report-copy.txt", "annual report", new Dictionary<string, string> { ["collection"] = "archive" })).Id();
        await service.WaitForEmbeddingsAsync();

        (await acme.Http.SearchAsync("annual report")).Ids().ShouldBe([report, reportJson, elsewhere], ignoreOrder: true);
        (await acme.Http.SearchAsync("annual report", "&collection=finance")).Ids().ShouldBe([report, reportJson], ignoreOrder: true);
        (await acme.Http.SearchAsync("annual report", "&collection=finance&contentType=text/*")).Ids().ShouldBe([report]);
        (await acme.Http.SearchAsync("annual report", "&contentType=application/json")).Ids().ShouldBe([reportJson]);
        (await acme.Http.SearchAsync("annual report", "&k=1")).Ids().Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_patch_changes_what_is_found_at_once_for_keywords_and_after_the_worker_for_vectors()
    {
        await using var service = await RunningService.StartAsync(configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        var id = (await acme.Http.UploadTextAsync("a.txt", "x", new Dictionary<string, string> { ["title"] = "Aurora photographs" })).Id();
        await service.DrainAsync();

        (await acme.Http.PatchAsJsonAsync($"/v1/objects/{id}", new { title = "Volcano field notes" })).EnsureSuccessStatusCode();

        // Keywords follow at once; the vector is the old one until the worker has run.
        (await acme.Http.SearchAsync("aurora")).Hit(id).GetProperty("keyword").ValueKind.ShouldBe(JsonValueKind.Null);
        var before = (await acme.Http.SearchAsync("volcano")).Hit(id);
        before.GetProperty("keyword").ValueKind.ShouldNotBe(JsonValueKind.Null);
        before.GetProperty("vector").ValueKind.ShouldBe(JsonValueKind.Null);
        (await service.QueueCheckAsync()).GetProperty("data").GetProperty("waiting").GetInt32().ShouldBe(1);

        await service.DrainAsync();

        (await acme.Http.SearchAsync("volcano")).Hit(id).GetProperty("vector").GetProperty("rank").GetInt32().ShouldBe(1);
        (await acme.Http.SearchAsync("aurora")).Ids().ShouldBeEmpty();
        // A patch that changes nothing search reads queues nothing.
        (await acme.Http.PatchAsJsonAsync($"/v1/objects/{id}", new { @public = true })).EnsureSuccessStatusCode();
        (await service.QueueCheckAsync()).GetProperty("data").GetProperty("waiting").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Similar_returns_the_nearest_other_objects_and_embeds_a_new_object_on_demand()
    {
        await using var service = await RunningService.StartAsync(configureServices: SearchTesting.ManualWorker());
        var acme = await service.CreateTenantAsync("acme");
        var a = (await acme.Http.UploadTextAsync("glacier-2024.txt", "Ice thickness measured at twelve stakes.", new Dictionary<string, string> { ["title"] = "Alpine glacier survey 2024" })).Id();
        var b = (await acme.Http.UploadTextAsync("glacier-2025.txt", "Ice thickness measured at fourteen stakes.", new Dictionary<string, string> { ["title"] = "Alpine glacier survey 2025" })).Id();
        var c = (await acme.Http.UploadTextAsync("bakery.csv", "croissant,baguette", new Dictionary<string, string> { ["title"] = "Bakery invoices" })).Id();
        await service.DrainAsync();
        var fresh = (await acme.Http.UploadTextAsync("glacier-2026.txt", "Ice thickness measured at ten stakes.", new Dictionary<string, string> { ["title"] = "Alpine glacier survey 2026" })).Id();

        var similar = await acme.Http.SimilarAsync(a);
        var ofFresh = await acme.Http.SimilarAsync(fresh);

        similar.Ids()[0].ShouldBe(b);
        similar.Ids().ShouldNotContain(a);
        similar.Ids().ShouldNotContain(c);
        similar.Hit(b).GetProperty("keyword").ValueKind.ShouldBe(JsonValueKind.Null);
        similar.Hit(b).GetProperty("score").GetDouble().ShouldBe(similar.Hit(b).GetProperty("vector").GetProperty("similarity").GetDouble());
        ofFresh.Ids().ShouldBe([a, b], ignoreOrder: true);
        (await acme.Http.SimilarAsync(a, k: 1)).Ids().Count.ShouldBe(1);
    }
}
