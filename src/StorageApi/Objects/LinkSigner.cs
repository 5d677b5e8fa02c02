using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StorageApi.Configuration;
using StorageApi.Errors;
using StorageApi.Tenancy;

namespace StorageApi.Objects;

/// <summary>
/// Expiring download links: <c>base64url(tenant|object|expiry)</c> + "." + <c>base64url(HMAC-SHA256(SIGNING_KEY, payload))</c>.
/// </summary>
public sealed class LinkSigner(StorageSettings settings, TimeProvider clock)
{
    public const int MaxLifetimeSeconds = 7 * 24 * 3600;

    private byte[] Key => Encoding.UTF8.GetBytes(settings.SigningKey ?? throw new InvalidOperationException("SIGNING_KEY is not configured"));

    public string Create(string tenantId, string objectId, DateTime expiresAtUtc)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('|', tenantId, objectId,
            new DateTimeOffset(expiresAtUtc).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return Secrets.Base64Url(payload) + "." + Secrets.Base64Url(HMACSHA256.HashData(Key, payload));
    }

    /// <summary>The (tenant, object) a valid link points at; a tampered link is 403, an expired one 410.</summary>
    public (string TenantId, string ObjectId) Verify(string token)
    {
        var parts = token.Split('.');
        byte[]? payload = null, signature = null;
        if (parts.Length == 2) (payload, signature) = (Secrets.FromBase64Url(parts[0]), Secrets.FromBase64Url(parts[1]));
        if (payload is null || signature is null || !CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(Key, payload)))
            throw new LinkNotValidException("The link is not valid: it was altered or signed with another key.");

        var fields = Encoding.UTF8.GetString(payload).Split('|');
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(fields[2], CultureInfo.InvariantCulture));
        if (expires <= clock.GetUtcNow())
            throw new LinkExpiredException($"The link expired at {expires:O}.");
        return (fields[0], fields[1]);
    }
}
