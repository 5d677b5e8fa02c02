using System.Diagnostics;
using System.Numerics.Tensors;

namespace SearchBench;

/// <summary>Memory read bandwidth: the sum of a 512 MiB float array, far larger than any cache, best of five.</summary>
public static class Bandwidth
{
    public static (double OneCore, double AllCores) Measure()
    {
        var big = new float[128 * 1024 * 1024];
        big.AsSpan().Fill(1f);
        return (GigabytesPerSecond(big, 1), GigabytesPerSecond(big, Environment.ProcessorCount));
    }

    private static double GigabytesPerSecond(float[] big, int threads)
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
}
