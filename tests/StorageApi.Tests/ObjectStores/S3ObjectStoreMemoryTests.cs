using StorageApi.Tests.Infrastructure;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace StorageApi.Tests.ObjectStores;

/// <summary>Runs alone: it measures the whole process's memory, which other tests running beside it would disturb.</summary>
[CollectionDefinition(nameof(MeasuresProcessMemory), DisableParallelization = true)]
public sealed class MeasuresProcessMemory;

[Collection(nameof(MeasuresProcessMemory))]
public sealed partial class S3ObjectStoreMemoryTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task A_large_upload_streams_through_a_few_part_buffers_instead_of_holding_the_bytes()
    {
        var server = await S3Server.InstanceAsync();
        var store = TestS3.Open(server, await server.CreateBucketAsync());
        // Warm up: the SDK's client, the connection pool and the part buffers exist before the measure starts.
        await store.PutAsync("acme/aa/warm-up", new GeneratedStream(20 * MiB), CancellationToken.None);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var before = ResetPeakResidentBytes();

        var clock = Stopwatch.StartNew();
        var written = await store.PutAsync("acme/bb/large", new GeneratedStream(256 * MiB, seed: 3), CancellationToken.None);
        clock.Stop();

        var growth = PeakResidentBytes() - before;
        output.WriteLine($"256 MiB multipart put in {clock.Elapsed.TotalSeconds:F1} s; peak resident set grew by {growth / (double)MiB:F1} MiB");
        written.ShouldBe(256 * MiB);
        (await store.ListAllAsync("acme/bb/")).Single().Size.ShouldBe(256 * MiB);
        growth.ShouldBeLessThan(100 * MiB);
    }

    /// <summary>The kernel's high-water mark of this process's resident set (VmHWM), reset to the current size; returns that size.</summary>
    private static long ResetPeakResidentBytes()
    {
        File.WriteAllText("/proc/self/clear_refs", "5"); // Linux: "5" resets VmHWM to VmRSS
        return StatusKiB("VmRSS") * 1024;
    }

    private static long PeakResidentBytes() => StatusKiB("VmHWM") * 1024;

    private static long StatusKiB(string field)
    {
        var match = Regex.Match(File.ReadAllText("/proc/self/status"), $@"^{field}:\s+(\d+) kB", RegexOptions.Multiline);
        return match.Success ? long.Parse(match.Groups[1].Value) : throw new InvalidOperationException($"no {field} in /proc/self/status");
    }
}
