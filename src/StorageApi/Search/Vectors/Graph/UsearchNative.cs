using System.Runtime.InteropServices;

namespace StorageApi.Search.Vectors.Graph;

/// <summary>
/// The C API of USearch (libusearch_c, shipped by the Cloud.Unum.USearch package). Every function reports failure through
/// <c>error</c>: a static C string, never freed, null on success.
/// </summary>
internal static unsafe partial class UsearchNative
{
    private const string Library = "libusearch_c";

    internal enum Metric { Cosine = 1 }

    internal enum Scalar { Float32 = 1, Float16 = 3, Int8 = 4 }

    [StructLayout(LayoutKind.Sequential)]
    internal struct InitOptions
    {
        public Metric MetricKind;
        public nint CustomMetric;
        public Scalar Quantization;
        public nuint Dimensions;
        public nuint Connectivity;
        public nuint ExpansionAdd;
        public nuint ExpansionSearch;
        public byte Multi;
    }

    [LibraryImport(Library, EntryPoint = "usearch_version")]
    internal static partial nint Version();

    [LibraryImport(Library, EntryPoint = "usearch_init")]
    internal static partial nint Init(InitOptions* options, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_free")]
    internal static partial void Free(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_save", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Save(nint index, string path, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_load", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Load(nint index, string path, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_size")]
    internal static partial nuint Size(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_capacity")]
    internal static partial nuint Capacity(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_dimensions")]
    internal static partial nuint Dimensions(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_memory_usage")]
    internal static partial nuint MemoryUsage(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_hardware_acceleration")]
    internal static partial nint HardwareAcceleration(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_reserve")]
    internal static partial void Reserve(nint index, nuint capacity, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_add")]
    internal static partial void ChangeThreadsAdd(nint index, nuint threads, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_search")]
    internal static partial void ChangeThreadsSearch(nint index, nuint threads, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_change_expansion_search")]
    internal static partial void ChangeExpansionSearch(nint index, nuint expansion, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_add")]
    internal static partial void Add(nint index, ulong key, float* vector, Scalar kind, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_contains")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool Contains(nint index, ulong key, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_remove")]
    internal static partial nuint Remove(nint index, ulong key, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_search")]
    internal static partial nuint Search(nint index, float* query, Scalar kind, nuint count, ulong* keys, float* distances, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_filtered_search")]
    internal static partial nuint FilteredSearch(nint index, float* query, Scalar kind, nuint count,
        delegate* unmanaged[Cdecl]<ulong, nint, int> filter, nint filterState, ulong* keys, float* distances, out nint error);

    /// <summary>Throws the library's message when a call failed.</summary>
    internal static void Check(nint error, string doing)
    {
        if (error != 0) throw new GraphIndexException($"{doing}: {Marshal.PtrToStringUTF8(error)}");
    }
}

/// <summary>Whether the graph library can be loaded on this machine: checked at start, so a missing part stops the start, not a search.</summary>
public static class GraphLibrary
{
    /// <summary>Null when it loads; otherwise one line that says why and what to install.</summary>
    public static string? LoadProblem()
    {
        try
        {
            return UsearchNative.Version() == 0 ? "the vector graph library (libusearch_c) did not report its version" : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return $"the vector graph library (libusearch_c) cannot be loaded: {e.Message.ReplaceLineEndings(" ")}; on Debian it needs libgomp1 (apt-get install libgomp1)";
        }
    }
}

/// <summary>The graph library refused an operation (a damaged file, no memory, a wrong dimension count).</summary>
public sealed class GraphIndexException(string message) : Exception(message);
