using System.Text.Json;

namespace SearchQuality;

public sealed record Document(string Id, string Topic, string Text);

/// <param name="Relevant">Document id to grade: 2 clearly wanted, 1 partly; every other document is 0.</param>
public sealed record Query(string Id, string Text, string Kind, IReadOnlyDictionary<string, int> Relevant);

/// <summary>The files of data/ (see data/README.md), one JSON object per line.</summary>
public static class EvaluationSet
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<Document> Documents(string file) => Read<Document>(file);

    public static IReadOnlyList<Query> Queries(string file) => Read<Query>(file);

    private static List<T> Read<T>(string file) =>
        [.. File.ReadLines(file).Where(l => l.Trim().Length > 0).Select(l => JsonSerializer.Deserialize<T>(l, Json)!)];
}

/// <summary>The two measures, as information retrieval defines them.</summary>
public static class Metrics
{
    /// <summary>The share of the query's relevant documents found in the first <paramref name="k"/>.</summary>
    public static double RecallAt(int k, Query query, IReadOnlyList<string> ranked) =>
        (double)ranked.Take(k).Count(query.Relevant.ContainsKey) / query.Relevant.Count;

    /// <summary>Discounted cumulative gain of the first <paramref name="k"/> (gain = grade, discount log2(rank + 1)), over the best possible order's.</summary>
    public static double NdcgAt(int k, Query query, IReadOnlyList<string> ranked)
    {
        static double Dcg(IEnumerable<int> grades) => grades.Select((g, i) => g / Math.Log2(i + 2)).Sum();
        var ideal = Dcg(query.Relevant.Values.OrderDescending().Take(k));
        return ideal == 0 ? 0 : Dcg(ranked.Take(k).Select(d => query.Relevant.GetValueOrDefault(d))) / ideal;
    }
}
