namespace SearchBench;

/// <summary>
/// The bench's command line: --objects N --dims D --queries Q --data clustered|topics|uniform, and --sweep E:C,E:C,… to try
/// other search expansions (E) and candidate counts (C) on the same graph after the service's own; --connectivity and
/// --expansion-add build the graph with other settings than the service's.
/// </summary>
public sealed record BenchOptions(int Objects, int Dimensions, int Queries, string Data, IReadOnlyList<(int Expansion, int Candidates)> Sweep,
    int Connectivity, int ExpansionAdd)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(100_000, 384, 1_000, "clustered", [], StorageApi.Search.Vectors.Graph.HnswGraph.Connectivity,
            StorageApi.Search.Vectors.Graph.HnswGraph.ExpansionAdd);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--objects" => options with { Objects = int.Parse(value) },
                "--dims" => options with { Dimensions = int.Parse(value) },
                "--queries" => options with { Queries = int.Parse(value) },
                "--data" when value is "clustered" or "topics" or "uniform" => options with { Data = value },
                "--connectivity" => options with { Connectivity = int.Parse(value) },
                "--expansion-add" => options with { ExpansionAdd = int.Parse(value) },
                "--sweep" => options with { Sweep = [.. value.Split(',').Select(p => p.Split(':')).Select(p => (int.Parse(p[0]), int.Parse(p[1])))] },
                _ => throw new ArgumentException($"unknown option {args[i]} {value}; use --objects N --dims D --queries Q --data clustered|topics|uniform --sweep E:C,… --connectivity M --expansion-add E"),
            };
            i++;
        }
        return options;
    }
}
