// Search quality on the evaluation set in data/ (307 documents, 274 queries with graded labels): uploads every
// document as a text file to a running service, waits until the embedding queue is empty, asks /v1/search each query
// with k=100, and prints recall@10 and nDCG@10 per query kind for three rankings read from the same answers: the
// hybrid order the API returns, the vector list alone and the keyword list alone (each hit says its rank in both);
// then, from the same ranks, for fusion variants with other constants and keyword weights (FusionVariant.cs).
// Usage (run.sh does this): dotnet run -c Release --project bench/search-quality -- <base url> <tenant key> <admin key> [label]
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SearchQuality;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: SearchQuality <base url> <tenant key> <admin key> [label]");
    return 2;
}
var (baseUrl, key, adminKey) = (args[0], args[1], args[2]);
var label = args.Length > 3 && args[3].Length > 0 ? args[3] : "service";
var data = Path.Combine(AppContext.BaseDirectory, "data");
var documents = EvaluationSet.Documents(Path.Combine(data, "documents.jsonl"));
var queries = EvaluationSet.Queries(Path.Combine(data, "queries.jsonl"));

using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

// 1. The documents, as a client stores text files; the object id maps back to the document id.
var clock = System.Diagnostics.Stopwatch.StartNew();
var documentOf = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var document in documents)
{
    using var form = new MultipartFormDataContent();
    var file = new StringContent(document.Text);
    file.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
    form.Add(file, "file", $"{document.Id}.txt");
    var created = await client.PostAsync("/v1/objects", form);
    created.EnsureSuccessStatusCode();
    var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    documentOf[id] = document.Id;
}
Console.WriteLine($"{label}: uploaded {documents.Count} documents in {clock.Elapsed.TotalSeconds:0.0} s");

// 2. Every document embedded: the queue in the full /health report is empty.
clock.Restart();
using (var admin = new HttpClient { BaseAddress = new Uri(baseUrl) })
{
    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    while (true)
    {
        var health = await admin.GetFromJsonAsync<JsonElement>("/health");
        var queue = health.GetProperty("checks").GetProperty("embeddingQueue").GetProperty("data");
        if (queue.GetProperty("waiting").GetInt32() == 0) break;
        if (clock.Elapsed > TimeSpan.FromMinutes(30)) throw new TimeoutException($"the embedding queue did not drain: {queue}");
        await Task.Delay(250);
    }
}
Console.WriteLine($"{label}: embedded in {clock.Elapsed.TotalSeconds:0.0} s after the last upload");

// 3. The queries: three rankings from each answer, which is kept for the variants.
clock.Restart();
const int Depth = 100, ListDepth = 200; // hits asked for; how far down each list the service fuses for them (HybridSearch.CandidateDepth)
var rankings = new Dictionary<string, List<(Query Query, IReadOnlyList<string> Ranked)>> { ["hybrid"] = [], ["vector"] = [], ["keyword"] = [] };
var answers = new List<(Query Query, IReadOnlyList<Hit> Hits)>();
string? embedder = null;
foreach (var query in queries)
{
    var answer = await client.GetFromJsonAsync<JsonElement>($"/v1/search?k={Depth}&q={Uri.EscapeDataString(query.Text)}");
    if (answer.GetProperty("embedder") is { ValueKind: JsonValueKind.Object } used)
        embedder = $"{used.GetProperty("provider").GetString()}/{used.GetProperty("model").GetString()}, {used.GetProperty("dimensions").GetInt32()} dimensions";
    var hits = answer.GetProperty("items").EnumerateArray().Select(item => new Hit(
        documentOf[item.GetProperty("object").GetProperty("id").GetString()!],
        item.GetProperty("object").GetProperty("id").GetString()!,
        item.GetProperty("vector") is { ValueKind: JsonValueKind.Object } v ? v.GetProperty("rank").GetInt32() : null,
        item.GetProperty("keyword") is { ValueKind: JsonValueKind.Object } k ? k.GetProperty("rank").GetInt32() : null)).ToList();
    answers.Add((query, hits));
    rankings["hybrid"].Add((query, [.. hits.Select(h => h.Document)]));
    rankings["vector"].Add((query, [.. hits.Where(h => h.VectorRank is not null).OrderBy(h => h.VectorRank).Select(h => h.Document)]));
    rankings["keyword"].Add((query, [.. hits.Where(h => h.KeywordRank is not null).OrderBy(h => h.KeywordRank).Select(h => h.Document)]));
}
Console.WriteLine($"{label}: {queries.Count} queries in {clock.Elapsed.TotalSeconds:0.0} s; embedder {embedder ?? "none answered"}");

// 4. The table: one line per ranking, recall@10 and nDCG@10 over all queries and per kind.
var kinds = queries.Select(q => q.Kind).Distinct().Order(StringComparer.Ordinal).ToList();
var header = $"{"",-24} {"all",-13} " + string.Join(' ', kinds.Select(k => $"{k + $" ({queries.Count(q => q.Kind == k)})",-18}"));
Console.WriteLine(header);
foreach (var (method, ranked) in rankings) Row($"{label} {method}", ranked);
Console.WriteLine("(each cell: recall@10 nDCG@10; relevant = grade 1 or 2, gain = grade)");

// 5. The same answers fused again with other constants and keyword weights, one line per variant.
Console.WriteLine($"{label}: fusion variants from the same ranks, score = 1/(k + vector rank) + w/(k + keyword rank), ties by object id");
Console.WriteLine(header);
foreach (var variant in FusionVariant.All) Row($"{label} {variant}", [.. answers.Select(a => (a.Query, variant.Rank(a.Hits)))]);
var uncertain = FusionVariant.All
    .Select(v => (Variant: v, Queries: answers.Count(a => !v.TopIsComplete(a.Hits, 10, Depth, ListDepth))))
    .Where(u => u.Queries > 0).Select(u => $"{u.Variant} in {u.Queries}").ToList();
Console.WriteLine($"(a variant's top 10 could hold an object outside the {Depth} hits answered: " +
                  (uncertain.Count == 0 ? "in no query)" : $"{string.Join(", ", uncertain)} of {answers.Count} queries)"));
return 0;

void Row(string name, IReadOnlyList<(Query Query, IReadOnlyList<string> Ranked)> ranked)
{
    string Cell(IEnumerable<(Query Query, IReadOnlyList<string> Ranked)> subset)
    {
        var list = subset.ToList();
        return $"{list.Average(r => Metrics.RecallAt(10, r.Query, r.Ranked)):0.00} {list.Average(r => Metrics.NdcgAt(10, r.Query, r.Ranked)):0.00}";
    }
    Console.WriteLine($"{name,-24} {Cell(ranked),-13} " + string.Join(' ', kinds.Select(k => $"{Cell(ranked.Where(r => r.Query.Kind == k)),-18}")));
}
