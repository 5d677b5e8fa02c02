namespace DotEnv;

/// <summary>Writes values so that <see cref="DotEnvParser"/> reads back exactly what was written.</summary>
internal static class DotEnvFormat
{
    public static string Line(string key, string value) => $"{key}={Value(value)}\n";

    /// <summary>
    /// Bare when that reads back unchanged (the common case, so files stay plain to read and hash the same as before
    /// quoting existed); single quotes when that is enough; double quotes with escapes otherwise.
    /// </summary>
    public static string Value(string value)
    {
        if (ReadsBackBare(value)) return value;
        if (!value.Contains('\'') && !value.Contains('\n') && !value.Contains('\r')) return $"'{value}'";
        return "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";
    }

    private static bool ReadsBackBare(string value)
    {
        if (value.Length == 0) return true;
        if (value[0] is '\'' or '"' or ' ' or '\t' || value[^1] is ' ' or '\t') return false;
        if (value.Contains('\n') || value.Contains('\r')) return false;
        return !value.Contains(" #") && !value.Contains("\t#");
    }
}
