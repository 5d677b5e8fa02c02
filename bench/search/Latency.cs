using System.Diagnostics;

namespace SearchBench;

public readonly record struct Percentiles(double P50, double P99);

/// <summary>Times one query after another (50 first to warm up), as a single client of the service would send them.</summary>
public static class Latency
{
    /// <summary>Calls <paramref name="search"/>(query number, timed number or -1 while warming up) for 50 + <paramref name="queries"/> queries.</summary>
    public static Percentiles Measure(int queries, Action<int, int> search)
    {
        for (var i = 0; i < 50; i++) search(queries + i, -1);
        var times = new double[queries];
        for (var i = 0; i < queries; i++)
        {
            var watch = Stopwatch.StartNew();
            search(i, i);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return new Percentiles(times[times.Length / 2], times[(int)(times.Length * 0.99)]);
    }
}
