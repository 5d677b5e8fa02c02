using System.Numerics.Tensors;

namespace SearchBench;

/// <summary>
/// Unit vectors for the bench. <c>clustered</c>: each is a topic's centre plus noise of the same length (cosine about
/// 0.7 to its centre), with one topic per thousand objects, as embeddings of documents group by subject.
/// <c>uniform</c>: directions with no structure at all, where every vector is about as far as every other.
/// </summary>
public sealed class SyntheticVectors
{
    private readonly int _dimensions;
    private readonly float[][] _centres;
    private readonly int _seed;
    private int _batch;

    public SyntheticVectors(int dimensions, string kind, int objects, int seed)
    {
        _dimensions = dimensions;
        _seed = seed;
        var random = new Random(seed);
        var topics = kind == "uniform" ? 0 : Math.Clamp(objects / 1000, 10, 5000);
        _centres = [.. Enumerable.Range(0, topics).Select(_ => Gaussian(random, 1.0f))];
        foreach (var centre in _centres) TensorPrimitives.Divide(centre, TensorPrimitives.Norm(centre), centre);
    }

    /// <summary><paramref name="count"/> vectors in one flat array, row after row (made on every core).</summary>
    public float[] Generate(int count)
    {
        var rows = new float[(long)count * _dimensions];
        var batch = Interlocked.Increment(ref _batch);
        const int Chunk = 4096;
        Parallel.For(0, (count + Chunk - 1) / Chunk, chunk =>
        {
            var random = new Random(HashCode.Combine(_seed, batch, chunk));
            for (var i = chunk * Chunk; i < Math.Min(count, (chunk + 1) * Chunk); i++)
            {
                var row = rows.AsSpan(i * _dimensions, _dimensions);
                var noise = Gaussian(random, _centres.Length == 0 ? 1.0f : 1.0f / MathF.Sqrt(_dimensions));
                if (_centres.Length > 0) TensorPrimitives.Add(_centres[random.Next(_centres.Length)], noise, row);
                else noise.CopyTo(row);
                TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
            }
        });
        return rows;
    }

    private float[] Gaussian(Random random, float deviation)
    {
        var values = new float[_dimensions];
        for (var i = 0; i < values.Length; i++)
        {
            // Box-Muller
            var u = 1.0 - random.NextDouble();
            values[i] = deviation * (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return values;
    }
}
