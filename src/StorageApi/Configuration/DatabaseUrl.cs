namespace StorageApi.Configuration;

public enum DatabaseProvider { Sqlite, PostgreSql }

/// <summary>
/// A parsed <c>DATABASE_URL</c>: <c>sqlite:///relative.db</c>, <c>sqlite:////absolute/path.db</c>
/// or <c>postgresql://user:pass@host:5432/db</c>.
/// </summary>
public sealed record DatabaseUrl(DatabaseProvider Provider, string ConnectionString, string Display, string? SqlitePath)
{
    public static DatabaseUrl ForSqliteFile(string absolutePath) =>
        new(DatabaseProvider.Sqlite, $"Data Source={absolutePath}", "sqlite:///" + absolutePath, absolutePath);

    /// <summary>Parses <paramref name="url"/>; relative SQLite paths are resolved against <paramref name="baseDirectory"/>.</summary>
    public static DatabaseUrl Parse(string url, string baseDirectory, out bool isRelative)
    {
        isRelative = false;
        if (url.StartsWith("sqlite:///", StringComparison.Ordinal))
        {
            var path = url["sqlite:///".Length..];
            if (path.Length == 0 || path == "/") throw new FormatException("sqlite URL has no file path (sqlite:///relative.db or sqlite:////absolute/path.db)");
            if (path.Contains('?') || path.Contains('\0')) throw new FormatException("sqlite URL must be a plain file path");
            isRelative = !path.StartsWith('/');
            var absolute = Path.GetFullPath(path, baseDirectory);
            return ForSqliteFile(absolute);
        }
        if (url.StartsWith("postgresql://", StringComparison.Ordinal) || url.StartsWith("postgres://", StringComparison.Ordinal))
            return ParsePostgres(url);
        throw new FormatException("expected sqlite:///relative.db, sqlite:////absolute/path.db or postgresql://user:pass@host:5432/db");
    }

    private static DatabaseUrl ParsePostgres(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new FormatException("postgresql URL is not valid (postgresql://user:pass@host:5432/db)");
        var database = uri.AbsolutePath.Trim('/');
        if (database.Length == 0) throw new FormatException("postgresql URL names no database (postgresql://user:pass@host:5432/db)");
        var userInfo = uri.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(userInfo[0]);
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "";
        var port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port;
        // The builder quotes what needs quoting: a password may hold ';' or '='.
        var connection = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = port, Database = Uri.UnescapeDataString(database), Username = user,
            Password = password.Length > 0 ? password : null,
        }.ConnectionString;
        var display = $"postgresql://{(user.Length > 0 ? user + (password.Length > 0 ? ":***" : "") + "@" : "")}{uri.Host}:{port}/{database}";
        return new DatabaseUrl(DatabaseProvider.PostgreSql, connection, display, null);
    }

    public override string ToString() => Display;
}
