using System.Text.Json;
using StorageApi.Objects;

namespace StorageApi.Cli;

/// <summary>
/// <c>storage-api verify [--rehash]</c>: one JSON line <c>{"objects","blobs","bytes","digest","missing","corrupt"}</c> on
/// stdout, each missing or corrupt blob named on stderr, exit 1 when there is any; <c>storage-api verify --list</c>:
/// every object's id, sha256 and size. See <see cref="StoreVerification"/>.
/// </summary>
public static class VerifyCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The verb for <paramref name="args"/> (after 'verify'); null when they do not fit.</summary>
    public static Func<IServiceProvider, Task<int>>? Parse(string[] args) => args switch
    {
        [] => services => VerifyAsync(services, rehash: false),
        ["--rehash"] => services => VerifyAsync(services, rehash: true),
        ["--list"] => ListAsync,
        _ => null,
    };

    private static async Task<int> VerifyAsync(IServiceProvider services, bool rehash)
    {
        if (!await AdminCommands.RequireUpToDateDatabaseAsync(services)) return 1;
        await using var scope = services.CreateAsyncScope();
        var verification = ActivatorUtilities.CreateInstance<StoreVerification>(scope.ServiceProvider);
        var report = await verification.VerifyAsync(rehash, problem => Console.Error.WriteLine($"error: {problem}"), CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(report, Json));
        return report.Missing + report.Corrupt > 0 ? 1 : 0;
    }

    private static async Task<int> ListAsync(IServiceProvider services)
    {
        if (!await AdminCommands.RequireUpToDateDatabaseAsync(services)) return 1;
        await using var scope = services.CreateAsyncScope();
        var verification = ActivatorUtilities.CreateInstance<StoreVerification>(scope.ServiceProvider);
        await using var output = new StreamWriter(Console.OpenStandardOutput()); // one write per 4 KiB, not per object
        await foreach (var line in verification.ListAsync(CancellationToken.None)) await output.WriteAsync(line + "\n");
        return 0;
    }
}
