// Exact vector search at the scale of one large tenant: 100k objects x 384 dimensions (the local embedder's size).
// Measures query latency (p50/p99), the index's memory, and compares one scan with the machine's memory bandwidth.
// Usage: dotnet run -c Release --project bench/search [-- objects dimensions queries]
using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Data.Sqlite;
using StorageApi.Search.Vectors;

var objects = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var dimensions = args.Length > 1 ? int.Parse(args[1]) : 384;
var queries = args.Length > 2 ? int.Parse(args[2]) : 1_000;
const int K = 10;

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, " +
                  $"Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}");

// 1. The index: random unit vectors, ids like the service's.
var random = new Random(42);
float[] RandomUnit()
{
    var v = new float[dimensions];
    for (var i = 0; i < dimensions; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
    TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
    return v;
}
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
var rssBefore = Environment.WorkingSet;
var build = Stopwatch.StartNew();
var index = new VectorIndex(dimensions);
var ids = new string[objects];
for (var i = 0; i < objects; i++)
{
    ids[i] = "obj_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
    index.Upsert(ids[i], RandomUnit());
}
build.Stop();
var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
var rssAfter = Environment.WorkingSet;
var vectorBytes = (long)objects * dimensions * sizeof(float);
Console.WriteLine($"index: {objects:N0} x {dimensions} built in {build.Elapsed.TotalSeconds:F2} s; vectors {vectorBytes / 1048576.0:F1} MiB raw, " +
                  $"{index.VectorBytes / 1048576.0:F1} MiB allocated; managed heap +{(heapAfter - heapBefore) / 1048576.0:F1} MiB; RSS +{(rssAfter - rssBefore) / 1048576.0:F1} MiB");

// 2. Read bandwidth: sum a 512 MiB float array (far larger than any cache), on one core and on all cores.
var big = new float[128 * 1024 * 1024];
new Random(1).NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(big.AsSpan()));
for (var i = 0; i < big.Length; i++) if (!float.IsFinite(big[i])) big[i] = 0;
double Bandwidth(int threads)
{
    var best = double.MaxValue;
    for (var run = 0; run < 5; run++)
    {
        var watch = Stopwatch.StartNew();
        var chunk = big.Length / threads;
        var sums = new float[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
            t => sums[t] = TensorPrimitives.Sum(big.AsSpan(t * chunk, chunk)));
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
        GC.KeepAlive(sums);
    }
    return big.Length * 4.0 / best / 1e9;
}
var oneCore = Bandwidth(1);
var allCores = Bandwidth(Environment.ProcessorCount);
Console.WriteLine($"read bandwidth: {oneCore:F1} GB/s on 1 core, {allCores:F1} GB/s on {Environment.ProcessorCount} cores (best of 5, 512 MiB sum)");
big = null;
GC.Collect();


// 3. Query latency through VectorIndex.Search (top-10, all cores when the index is large).
var queryVectors = Enumerable.Range(0, queries + 50).Select(_ => RandomUnit()).ToArray();
double[] Measure(Func<float[], int> search)
{
    for (var i = 0; i < 50; i++) search(queryVectors[i]); // warm-up (JIT, caches, thread pool)
    var times = new double[queries];
    for (var i = 0; i < queries; i++)
    {
        var watch = Stopwatch.StartNew();
        search(queryVectors[50 + i]);
        times[i] = watch.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return times;
}
string Summary(double[] sorted) =>
    $"p50 {sorted[sorted.Length / 2]:F2} ms, p90 {sorted[(int)(sorted.Length * 0.9)]:F2} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F2} ms, max {sorted[^1]:F2} ms";

var searchTimes = Measure(q => index.Search(q, K).Count);
Console.WriteLine($"VectorIndex.Search top-{K}: {Summary(searchTimes)} ({queries} queries)");

// A filtered query (collection/contentType): half the objects allowed; the filter is asked only about top candidates.
var allowed = ids.Where((_, i) => i % 2 == 0).ToHashSet(StringComparer.Ordinal);
var filteredTimes = Measure(q => index.Search(q, K, include: allowed.Contains).Count);
Console.WriteLine($"VectorIndex.Search top-{K}, half the objects allowed by a filter: {Summary(filteredTimes)}");

// 4. The floor: dot products alone over one contiguous array, on one core. Bytes read per scan / bandwidth is the bound.
var flat = new float[(long)objects * dimensions];
for (var i = 0; i < objects; i++) index.Find(ids[i])!.CopyTo(flat, (long)i * dimensions);
var scores = new float[objects];
var scanTimes = Measure(q =>
{
    for (var row = 0; row < objects; row++) scores[row] = TensorPrimitives.Dot(q, flat.AsSpan(row * dimensions, dimensions));
    return 0;
});
var boundOne = vectorBytes / (oneCore * 1e9) * 1000;
var boundAll = vectorBytes / (allCores * 1e9) * 1000;
Console.WriteLine($"plain scan on 1 core (dot products only): {Summary(scanTimes)}");
Console.WriteLine($"bandwidth bound for {vectorBytes / 1048576.0:F1} MiB: {boundOne:F2} ms on 1 core, {boundAll:F2} ms on {Environment.ProcessorCount} cores");
Console.WriteLine($"time per scan / bound: plain 1-core scan {scanTimes[scanTimes.Length / 2] / boundOne:F2}x, " +
                  $"VectorIndex.Search p50 {searchTimes[searchTimes.Length / 2] / boundAll:F2}x of the {Environment.ProcessorCount}-core bound");
GC.KeepAlive(scores);

// 5. A cold start: the service loads a tenant's vectors from SQLite on its first search. Same blobs, same index code,
// read with a plain SqliteDataReader (the service goes through EF Core, which adds a little).
var file = Path.Combine(Path.GetTempPath(), $"search-bench-{Guid.NewGuid():N}.db");
try
{
    using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
    {
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE ObjectVectors (TenantId TEXT, SetId INTEGER, ObjectId TEXT, Vector BLOB, PRIMARY KEY (TenantId, SetId, ObjectId));";
        create.ExecuteNonQuery();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO ObjectVectors VALUES ('acme', 1, $id, $vector)";
        var idParameter = insert.Parameters.Add("$id", SqliteType.Text);
        var vectorParameter = insert.Parameters.Add("$vector", SqliteType.Blob);
        for (var i = 0; i < objects; i++)
        {
            idParameter.Value = ids[i];
            vectorParameter.Value = VectorBlob.ToBytes(index.Find(ids[i])!);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }
    var load = Stopwatch.StartNew();
    var loaded = new VectorIndex(dimensions);
    using (var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False"))
    {
        connection.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT ObjectId, Vector FROM ObjectVectors WHERE TenantId = 'acme' AND SetId = 1";
        using var reader = select.ExecuteReader();
        while (reader.Read()) loaded.Upsert(reader.GetString(0), VectorBlob.ToFloats((byte[])reader.GetValue(1)));
    }
    Console.WriteLine($"cold load of {loaded.Count:N0} vectors from SQLite ({new FileInfo(file).Length / 1048576.0:F0} MiB file): {load.Elapsed.TotalSeconds:F2} s");
}
finally
{
    SqliteConnection.ClearAllPools();
    foreach (var leftover in Directory.EnumerateFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*")) File.Delete(leftover);
}
