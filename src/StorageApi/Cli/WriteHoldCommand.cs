using System.Globalization;
using StorageApi.WriteHolds;

namespace StorageApi.Cli;

/// <summary>
/// <c>storage-api write-hold on [--reason &lt;text&gt;] [--retry-after &lt;seconds&gt;] | off | status</c>: read-only mode for
/// every instance on the database, at once (see <see cref="WriteHold"/>).
/// </summary>
public static class WriteHoldCommand
{
    /// <summary>The verb for <paramref name="args"/> (after 'write-hold'); null when they do not fit; <see cref="FormatException"/> for an unusable value.</summary>
    public static Func<IServiceProvider, Task<int>>? Parse(string[] args)
    {
        switch (args)
        {
            case ["off"]: return OffAsync;
            case ["status"]: return StatusAsync;
            case ["on", .. var options]:
                string? reason = null, retryAfter = null;
                for (var i = 0; i < options.Length; i += 2)
                {
                    if (i + 1 >= options.Length) return null;
                    switch (options[i])
                    {
                        case "--reason" when reason is null: reason = options[i + 1]; break;
                        case "--retry-after" when retryAfter is null: retryAfter = options[i + 1]; break;
                        default: return null;
                    }
                }
                var seconds = WriteHold.DefaultRetryAfterSeconds;
                if (retryAfter is not null && (!int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || !WriteHold.IsValidRetryAfter(seconds)))
                    throw new FormatException($"--retry-after must be whole seconds from 1 to {WriteHold.MaxRetryAfterSeconds}, not '{retryAfter}'");
                if (!WriteHold.IsValidReason(reason))
                    throw new FormatException($"--reason must be one line of at most {WriteHold.MaxReasonLength} characters (clients read it in every refused write)");
                return services => OnAsync(services, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), seconds);
            default: return null;
        }
    }

    private static async Task<int> OnAsync(IServiceProvider services, string? reason, int retryAfterSeconds)
    {
        if (!await AdminCommands.RequireUpToDateDatabaseAsync(services)) return 1;
        var (hold, before) = await services.GetRequiredService<WriteHoldControl>().HoldAsync(reason, retryAfterSeconds, CancellationToken.None);
        Console.WriteLine((before is null ? "writes held: " : "writes were already held; now: ") + Describe(hold) + "; reads keep working");
        return 0;
    }

    private static async Task<int> OffAsync(IServiceProvider services)
    {
        if (!await AdminCommands.RequireUpToDateDatabaseAsync(services)) return 1;
        var ended = await services.GetRequiredService<WriteHoldControl>().ReleaseAsync(CancellationToken.None);
        var held = ended is null ? 0 : (services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime - ended.Since).TotalSeconds;
        Console.WriteLine(ended is null ? "writes were not held" : $"writes accepted again; they were held for {held:0.0} s ({Describe(ended)})");
        return 0;
    }

    private static async Task<int> StatusAsync(IServiceProvider services)
    {
        if (!await AdminCommands.RequireUpToDateDatabaseAsync(services)) return 1;
        var hold = await services.GetRequiredService<WriteHoldControl>().ReadAsync(CancellationToken.None);
        Console.WriteLine(hold is null ? "not held" : Describe(hold));
        return 0;
    }

    /// <summary>"held since 2026-12-01T10:00:00.0000000Z, Retry-After 5 s, reason: moving to host b".</summary>
    public static string Describe(WriteHold hold) =>
        $"held since {hold.Since:O}, Retry-After {hold.RetryAfter} s" + (hold.Reason is null ? "" : $", reason: {hold.Reason}");
}
