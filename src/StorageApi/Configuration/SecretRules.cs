namespace StorageApi.Configuration;

/// <summary>What makes a secret acceptable outside development: long, varied and not a placeholder anyone could guess.</summary>
public static class SecretRules
{
    public const int MinimumLength = 32;

    // Placeholders seen in examples, tutorials and the system this one replaces.
    private static readonly string[] WellKnownFragments =
    [
        "changeme", "change-me", "change_me", "replace-me", "replaceme", "your-secret", "yoursecret", "your_secret",
        "example", "default", "password", "secret-key", "secretkey", "supersecret", "admin-key", "adminkey",
        "dev-key", "devkey", "test-key", "testkey", "insecure", "placeholder", "xxxxxxxx", "12345678", "abcdefgh",
    ];

    /// <summary>The problem with <paramref name="value"/> as the secret <paramref name="name"/>, or null when it is fine.</summary>
    public static string? Problem(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return $"{name} is missing (generate one: openssl rand -base64 48)";
        if (value.Length < MinimumLength) return $"{name} is too short ({value.Length} characters, at least {MinimumLength})";
        var lower = value.ToLowerInvariant();
        var fragment = WellKnownFragments.FirstOrDefault(lower.Contains);
        if (fragment is not null) return $"{name} contains the well-known placeholder '{fragment}'";
        if (value.Distinct().Count() < 10) return $"{name} is not random enough (fewer than 10 distinct characters)";
        return null;
    }
}
