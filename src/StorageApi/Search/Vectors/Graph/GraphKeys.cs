using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace StorageApi.Search.Vectors.Graph;

/// <summary>
/// The graph's 64-bit keys: a hash of the object id, the same in every process, so a saved graph's keys still name the
/// same objects. Two ids of one tenant with the same key are detected (<see cref="GraphVectorIndex"/>), never mixed up.
/// </summary>
public static class GraphKeys
{
    public static ulong Of(string objectId)
    {
        var key = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(objectId));
        return key == ulong.MaxValue ? 0 : key; // USearch marks free slots with the largest key
    }

    /// <summary>A fingerprint of a stored vector, to tell on load whether the graph holds the database's version of it.</summary>
    public static ulong OfVector(ReadOnlySpan<float> vector) => OfVectorBlob(MemoryMarshal.AsBytes(vector));

    /// <summary>The same fingerprint, of the vector as the database stores it (<see cref="VectorBlob"/>).</summary>
    public static ulong OfVectorBlob(ReadOnlySpan<byte> blob) => XxHash3.HashToUInt64(blob);
}
