namespace StorageApi.Configuration;

/// <summary>Reads a <c>.env</c> file: <c>KEY=value</c> lines, optional <c>export</c>, quotes and <c>#</c> comments.</summary>
public static class DotEnvFile
{
    public static IReadOnlyDictionary<string, string> Read(string path, List<string> errors)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return values;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read ({e.Message})");
            return values;
        }

        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line["export ".Length..].TrimStart();
            var equals = line.IndexOf('=');
            var key = equals > 0 ? line[..equals].Trim() : "";
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                errors.Add($"{path} line {index + 1}: expected KEY=value");
                continue;
            }
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
                value = value[1..^1];
            else if (value.Length > 0 && (value[0] is '"' or '\''))
            {
                errors.Add($"{path} line {index + 1}: {key} has an unterminated quote");
                continue;
            }
            values[key] = value;
        }
        return values;
    }
}
