using System.Numerics.Tensors;

namespace SearchBench;

/// <summary>
/// Unit vectors for the bench, one topic per thousand objects. <c>clustered</c>: a topic's centre plus noise of the
/// same length in every direction (cosine about 0.7 to the centre): within a topic, the vectors fill all dimensions, the
/// hardest case for a graph. <c>topics</c>: a topic's centre plus a variation along 16 directions of the topic's own and a
/// little noise in all (cosine about 0.7 to the centre as well), as embeddings of documents on one subject differ in a
/// few ways. <c>uniform</c>: directions with no structure at all, where every vector is about as far as every other.
/// </summary>
public sealed class SyntheticVectors
{
    private readonly int _dimensions;
    private const int TopicDirections = 16;
    private readonly float[][] _centres;
    private readonly float[][][] _directions; // per topic, for "topics"
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
        _directions = kind == "topics"
            ? [.. _centres.Select(_ => Enumerable.Range(0, TopicDirections).Select(_ => Gaussian(random, 1.0f / MathF.Sqrt(dimensions))).ToArray())]
            : [];
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
                var topic = _centres.Length == 0 ? -1 : random.Next(_centres.Length);
                if (topic < 0) Gaussian(random, 1.0f).CopyTo(row);
                else if (_directions.Length == 0) TensorPrimitives.Add(_centres[topic], Gaussian(random, 1.0f / MathF.Sqrt(_dimensions)), row);
                else
                {
                    // 16 directions of about unit length, each weighted by N(0, 1/16): a variation of length about 1
                    Gaussian(random, 0.2f / MathF.Sqrt(_dimensions)).CopyTo(row);
                    TensorPrimitives.Add(row, _centres[topic], row);
                    foreach (var direction in _directions[topic])
                        TensorPrimitives.MultiplyAdd(direction, (float)(Normal(random) / Math.Sqrt(TopicDirections)), row, row);
                }
                TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
            }
        });
        return rows;
    }

    private float[] Gaussian(Random random, float deviation)
    {
        var values = new float[_dimensions];
        for (var i = 0; i < values.Length; i++) values[i] = deviation * (float)Normal(random);
        return values;
    }

    /// <summary>A standard normal number (Box-Muller).</summary>
    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
