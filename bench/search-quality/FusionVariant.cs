namespace SearchQuality;

/// <summary>One object of an answer: its document, its object id, and its ranks (from 1) in the vector and keyword lists.</summary>
public sealed record Hit(string Document, string ObjectId, int? VectorRank, int? KeywordRank);

/// <summary>
/// Reciprocal rank fusion with its constant and the keyword list's weight as parameters, re-ranking one answer's hits:
/// score = 1 / (k + vector rank) + w / (k + keyword rank), a missing rank adding 0, ties broken by object id.
/// The service fuses with k = 2, w = 1 (src/StorageApi/Search/RankFusion.cs); it did with k = 60 until this set showed k = 2 better.
/// </summary>
public sealed record FusionVariant(int K, double KeywordWeight)
{
    public static readonly IReadOnlyList<FusionVariant> All =
        [.. from k in new[] { 60, 10, 2 } from w in new[] { 1, 0.5, 0.3, 0.1 } select new FusionVariant(k, w)];

    public double Score(Hit hit) => Score(hit.VectorRank, hit.KeywordRank);

    public IReadOnlyList<string> Rank(IEnumerable<Hit> hits) =>
        [.. hits.OrderByDescending(Score).ThenBy(h => h.ObjectId, StringComparer.Ordinal).Select(h => h.Document)];

    /// <summary>
    /// Whether <see cref="Rank"/>'s first <paramref name="n"/> are surely this variant's first n of all the objects the
    /// two lists found. An answer of <paramref name="limit"/> hits holds only the service's first ones, so an object
    /// left out scored no more than the last hit by the service's fusion, and each of its ranks is past the ones the
    /// answer holds without a gap from 1 (and at most <paramref name="listDepth"/>, or absent): that bounds its score
    /// here.
    /// </summary>
    public bool TopIsComplete(IReadOnlyList<Hit> hits, int n, int limit, int listDepth)
    {
        if (hits.Count < limit) return true; // a short answer holds every object either list found
        var floor = hits.Min(Service.Score);
        var best = 0.0;
        foreach (var v in Below(hits.Select(h => h.VectorRank)))
            foreach (var r in Below(hits.Select(h => h.KeywordRank)))
                if (Service.Score(v, r) <= floor) { best = Math.Max(best, Score(v, r)); break; } // both fall as r grows
        return hits.Select(Score).OrderDescending().ElementAt(n - 1) > best;

        IEnumerable<int?> Below(IEnumerable<int?> held)
        {
            var ranks = held.OfType<int>().ToHashSet();
            var from = 1;
            while (ranks.Contains(from)) from++;
            return [.. Enumerable.Range(from, Math.Max(0, listDepth - from + 1)).Select(r => (int?)r), null];
        }
    }

    public override string ToString() => $"k{K} w{KeywordWeight}";

    /// <summary>How the service fused the answer (RankFusion.K, keyword weight 1): what bounds the objects it left out.</summary>
    private static readonly FusionVariant Service = new(2, 1);

    private double Score(int? vectorRank, int? keywordRank) =>
        (vectorRank is { } v ? 1.0 / (K + v) : 0) + (keywordRank is { } r ? KeywordWeight / (K + r) : 0);
}
