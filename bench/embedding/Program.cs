// The local sentence embedder's cost on this machine: model load time and memory, then texts per second by batch size
// for the evaluation set's short documents and for long texts (several 254-token windows each), and the process CPU
// time per text (the embedder runs one inference thread, so it never takes more than one core).
// Usage: nice -n 19 dotnet run -c Release --project bench/embedding   (the model the build puts beside it, or EMBEDDING_MODEL_DIR)
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using StorageApi.Search.Embeddings;

var folder = Environment.GetEnvironmentVariable("EMBEDDING_MODEL_DIR") ?? StorageApi.Configuration.ConfigurationReader.DefaultModelDirectory;
var data = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "search-quality", "data", "documents.jsonl");
var texts = File.ReadLines(data).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();
var shortTexts = texts.Where(t => t.Length < 400).ToList();
var longTexts = texts.Where(t => t.Length >= 1500).ToList();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {shortTexts.Count} short texts (median {shortTexts.Order().ElementAt(shortTexts.Count / 2).Length} chars), {longTexts.Count} long ({longTexts.Average(t => t.Length):0} chars)");

GC.Collect();
var rss = Environment.WorkingSet;
var clock = Stopwatch.StartNew();
using var embedder = new MiniLmEmbeddingGenerator(folder);
await embedder.GenerateAsync(["warm up"]);
Console.WriteLine($"load and first text: {clock.Elapsed.TotalSeconds:0.00} s, RSS +{(Environment.WorkingSet - rss) / 1048576.0:0} MiB");

foreach (var (name, set) in new[] { ("short", shortTexts), ("long", longTexts) })
    foreach (var batch in new[] { 1, 8, 32, 128 })
    {
        var work = Enumerable.Range(0, Math.Max(set.Count, 64)).Select(i => set[i % set.Count]).ToList();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        foreach (var chunk in work.Chunk(batch)) await embedder.GenerateAsync(chunk);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"{name,-5} batch {batch,3}: {work.Count / seconds,7:0.0} texts/s, {cpuSeconds / seconds:0.00} cores busy, RSS {Environment.WorkingSet / 1048576.0:0} MiB");
    }
