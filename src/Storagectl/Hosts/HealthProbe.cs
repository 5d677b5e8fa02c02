using System.Globalization;
using System.Text.Json;
using Storagectl.HostCommands;

namespace Storagectl.Hosts;

/// <summary>Health requests made from the host itself to a service's loopback port, as gates, bakes and `status` need them.</summary>
public static class HealthProbe
{
    /// <summary>(HTTP status, body); status 0 when nothing answered, with curl's complaint as the body.</summary>
    public static async Task<(int Status, string Body)> GetAsync(HostConnection connection, int port, string path, double timeoutSeconds, CancellationToken cancellationToken)
    {
        var result = await connection.RunAsync(HealthCommands.Get(port, path, timeoutSeconds), (string?)null, cancellationToken);
        if (result.ExitCode == 255) throw new IOException("lost the connection to the host: " + result.Reason);
        var lines = result.Output.TrimEnd().Split('\n');
        return int.TryParse(lines[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status > 0
            ? (status, string.Join('\n', lines[..^1]))
            : (0, result.Reason);
    }

    /// <summary>What an answer that was not the expected one said: curl's complaint, or the status and version.</summary>
    public static string Describe(int status, string body) =>
        status == 0 ? body.Trim() : $"HTTP {status}, version {VersionOf(body) ?? "unknown"}";

    /// <summary>The "version" a /health body reports, or null.</summary>
    public static string? VersionOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
