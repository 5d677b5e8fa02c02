// Vector search at the scale of one large tenant, exact and approximate side by side, with the machine's read bandwidth.
// Usage: dotnet run -c Release --project bench/search [-- --objects 100000 --dims 384 --queries 1000 --data clustered|uniform]
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SearchBench;
using StorageApi.Search;
using StorageApi.Search.Vectors;
using StorageApi.Search.Vectors.Graph;

var options = BenchOptions.Parse(args);
var (objects, dimensions, queries) = (options.Objects, options.Dimensions, options.Queries);
const int K = 10;
var depth = HybridSearch.CandidateDepth(K); // what the service asks of vector search for k = 10

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, " +
                  $"Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}; load {File.ReadAllText("/proc/loadavg").Trim()}");

// 1. Read bandwidth: sum a 512 MiB float array (far larger than any cache), on one core and on all cores.
var (oneCore, allCores) = Bandwidth.Measure();
Console.WriteLine($"read bandwidth: {oneCore:F1} GB/s on 1 core, {allCores:F1} GB/s on {Environment.ProcessorCount} cores (best of 5, 512 MiB sum)");

// 2. The data: unit vectors, clustered like embeddings of documents on topics (or uniform, the hardest case for a graph).
var generate = Stopwatch.StartNew();
var data = new SyntheticVectors(dimensions, options.Data, objects, seed: 42);
var flat = data.Generate(objects);
var ids = Enumerable.Range(0, objects).Select(i => $"obj_{i:x8}{Convert.ToHexStringLower(BitConverter.GetBytes(i * 2654435761u))}").ToArray();
var queryVectors = data.Generate(queries + 50);
var vectorBytes = (long)objects * dimensions * sizeof(float);
Console.WriteLine($"data: {objects:N0} x {dimensions} {options.Data} unit vectors ({vectorBytes / 1048576.0:F1} MiB as float32), {queries} queries + 50 to warm up, made in {generate.Elapsed.TotalSeconds:F1} s");
ReadOnlySpan<float> Row(float[] rows, int i) => rows.AsSpan(i * dimensions, dimensions);

// 3. Exact: the index the service keeps below the graph threshold.
var heapBefore = ManagedHeap();
var build = Stopwatch.StartNew();
var exact = new VectorIndex(dimensions);
for (var i = 0; i < objects; i++) exact.Upsert(ids[i], Row(flat, i));
var exactBuild = build.Elapsed.TotalSeconds;
var exactMemory = ManagedHeap() - heapBefore;
var exactAnswers = new string[queries][];
var exactTimes = Latency.Measure(queries, (i, timed) =>
{
    var hits = exact.Search(Row(queryVectors, i), depth);
    if (timed >= 0) exactAnswers[timed] = [.. hits.Take(K).Select(h => h.ObjectId)];
});
Console.WriteLine($"exact: {objects} objects x {dimensions}, recall@10 1.000 (vs exact), p50 {exactTimes.P50:F2} ms, p99 {exactTimes.P99:F2} ms, " +
                  $"memory {exactMemory / 1048576.0:F0} MiB, build {exactBuild:F1} s");
var bound = vectorBytes / (allCores * 1e9) * 1000;
Console.WriteLine($"  bandwidth bound for one scan of {vectorBytes / 1048576.0:F1} MiB: {bound:F2} ms on {Environment.ProcessorCount} cores; exact p50 is {exactTimes.P50 / bound:F2}x of it");

// 4. Approximate: the HNSW graph (int8) finds candidates; their float32 vectors come from the database for exact rescoring.
var file = Path.Combine(Path.GetTempPath(), $"search-bench-{Guid.NewGuid():N}");
try
{
    var store = Stopwatch.StartNew();
    using var database = new BenchDatabase(file + ".db", dimensions);
    database.Insert(ids, flat);
    Console.WriteLine($"  database: {objects:N0} vectors written to SQLite in {store.Elapsed.TotalSeconds:F1} s ({new FileInfo(file + ".db").Length / 1048576.0:F0} MiB)");

    var nativeBefore = Process.GetCurrentProcess().PrivateMemorySize64;
    build.Restart();
    database.Warm();
    var hnsw = HnswGraph.Create(dimensions, options.Connectivity, options.ExpansionAdd);
    var graph = new GraphVectorIndex(hnsw, NullLogger.Instance);
    Parallel.For(0, objects, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => graph.Upsert(ids[i], Row(flat, i)));
    var annBuild = build.Elapsed.TotalSeconds;
    var privateGrowth = Process.GetCurrentProcess().PrivateMemorySize64 - nativeBefore;

    (double Recall, Percentiles Times) Approximate(int candidates)
    {
        var overlap = 0;
        var times = Latency.Measure(queries, (i, timed) =>
        {
            var query = Row(queryVectors, i);
            var hits = ExactRescoring.Rescore(query, database.Read(graph.Candidates(query, candidates)), depth, float.NegativeInfinity);
            if (timed >= 0) overlap += hits.Take(K).Count(h => exactAnswers[timed].Contains(h.ObjectId));
        });
        return (overlap / (double)(queries * K), times);
    }
    Approximate(VectorSearch.CandidatesFor(depth)); // a first pass, untimed: the first one ran slower than every later one
    var (recall, annTimes) = Approximate(VectorSearch.CandidatesFor(depth));
    var graphTimes = Latency.Measure(queries, (i, _) => graph.Candidates(Row(queryVectors, i), VectorSearch.CandidatesFor(depth)));
    var annMemory = graph.MemoryBytes;
    Console.WriteLine($"  graph: connectivity {options.Connectivity}, expansion {options.ExpansionAdd} to add, {HnswGraph.ExpansionSearch} to search; {hnsw.Acceleration} kernels");
    Console.WriteLine($"ann: {objects} objects x {dimensions}, recall@10 {recall:F3} (vs exact), p50 {annTimes.P50:F2} ms, p99 {annTimes.P99:F2} ms, " +
                      $"memory {annMemory / 1048576.0:F0} MiB, build {annBuild:F1} s");
    Console.WriteLine($"  ann memory is {annMemory / (double)vectorBytes:F2}x the float32 vectors (private memory grew {privateGrowth / 1048576.0:F0} MiB during the build); " +
                      $"{annMemory / (double)objects:F0} bytes per object; {objects / annBuild:F0} inserts/s on {Environment.ProcessorCount} cores");
    Console.WriteLine($"  ann steps: graph alone p50 {graphTimes.P50:F2} ms, p99 {graphTimes.P99:F2} ms for {VectorSearch.CandidatesFor(depth)} candidates of the {depth} asked; " +
                      $"the rest is reading their vectors from SQLite and rescoring");

    foreach (var (expansion, candidates) in options.Sweep)
    {
        hnsw.SearchExpansion = expansion;
        var (sweepRecall, sweepTimes) = Approximate(candidates);
        Console.WriteLine($"  ann with search expansion {expansion} and {candidates} candidates: recall@10 {sweepRecall:F3}, p50 {sweepTimes.P50:F2} ms, p99 {sweepTimes.P99:F2} ms");
    }
    hnsw.SearchExpansion = HnswGraph.ExpansionSearch;

    // 5. Durable: saved beside the database and read back on start instead of rebuilt.
    var save = Stopwatch.StartNew();
    var entries = graph.Save(file + ".usearch");
    var saved = save.Elapsed.TotalSeconds;
    graph.Dispose();
    var load = Stopwatch.StartNew();
    using var loaded = new GraphVectorIndex(HnswGraph.Load(file + ".usearch", dimensions), entries, NullLogger.Instance);
    Console.WriteLine($"  ann file: {new FileInfo(file + ".usearch").Length / 1048576.0:F0} MiB, saved in {saved:F2} s, loaded in {load.Elapsed.TotalSeconds:F2} s " +
                      $"(a rebuild takes {annBuild:F1} s); {loaded.Count:N0} objects");
}
finally
{
    SqliteConnection.ClearAllPools();
    foreach (var leftover in Directory.EnumerateFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*")) File.Delete(leftover);
}

static long ManagedHeap()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return GC.GetTotalMemory(forceFullCollection: true);
}
