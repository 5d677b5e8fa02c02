using System.Security.Cryptography;
using System.Text;

namespace StorageApi.Tenancy;

/// <summary>Random tokens and their hashes. Keys are 256-bit random, so a plain SHA-256 is a safe thing to store.</summary>
public static class Secrets
{
    public static string NewApiKey() => "sk_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>An opaque, unguessable id (128 random bits) with a readable prefix such as <c>obj</c>.</summary>
    public static string NewId(string prefix) => prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares two secrets in constant time.</summary>
    public static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The bytes of a base64url text, or null when it is not one. Only the canonical spelling is accepted:
    /// the unused low bits of the last character must be zero, so no two texts decode to the same bytes.
    /// </summary>
    public static byte[]? FromBase64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            var bytes = Convert.FromBase64String(padded);
            return Base64Url(bytes) == value ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
