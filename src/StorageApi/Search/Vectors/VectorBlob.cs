using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace StorageApi.Search.Vectors;

/// <summary>Vectors as the database stores them: float32 values, little-endian, in a blob.</summary>
public static class VectorBlob
{
    public static byte[] ToBytes(ReadOnlySpan<float> vector)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("vectors are stored little-endian");
        return MemoryMarshal.AsBytes(vector).ToArray();
    }

    public static float[] ToFloats(ReadOnlySpan<byte> blob)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("vectors are stored little-endian");
        return MemoryMarshal.Cast<byte, float>(blob).ToArray();
    }

    /// <summary>A unit-length copy: with every vector normalised, the dot product is the cosine similarity.</summary>
    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0 && float.IsFinite(norm)) TensorPrimitives.Divide(copy, norm, copy);
        return copy;
    }
}
