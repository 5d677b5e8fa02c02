namespace SearchBench;

/// <summary>The bench's command line: --objects N --dims D --queries Q --data clustered|uniform.</summary>
public sealed record BenchOptions(int Objects, int Dimensions, int Queries, string Data)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(100_000, 384, 1_000, "clustered");
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--objects" => options with { Objects = int.Parse(value) },
                "--dims" => options with { Dimensions = int.Parse(value) },
                "--queries" => options with { Queries = int.Parse(value) },
                "--data" when value is "clustered" or "uniform" => options with { Data = value },
                _ => throw new ArgumentException($"unknown option {args[i]} {value}; use --objects N --dims D --queries Q --data clustered|uniform"),
            };
            i++;
        }
        return options;
    }
}
