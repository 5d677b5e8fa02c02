using System.Security.Cryptography;

namespace StorageApi.Configuration;

/// <summary>
/// In development only, missing secrets are generated once, randomly, into the data directory (mode 0600), so the
/// service runs without configuration and yet never on a key that anybody else knows.
/// </summary>
public static class DevelopmentSecrets
{
    public const string AdminKeyFile = "admin.key";
    public const string SigningKeyFile = "signing.key";

    public static StorageSettings Fill(StorageSettings settings)
    {
        if (!settings.IsDevelopment) return settings;
        return settings with
        {
            AdminApiKey = settings.AdminApiKey ?? ReadOrCreate(Path.Combine(settings.DataDirectory, AdminKeyFile)),
            SigningKey = settings.SigningKey ?? ReadOrCreate(Path.Combine(settings.DataDirectory, SigningKeyFile)),
        };
    }

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, options)) writer.Write(key);
        return key;
    }
}
