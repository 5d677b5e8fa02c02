using System.Security.Cryptography;
using System.Text;

namespace StorageApi.Backups;

/// <summary>
/// The keys derived from BACKUP_KEY with HKDF-SHA256, one per purpose, so a leak of one use never weakens another:
/// encrypting files, naming blobs (a name must not reveal the blob's sha256), and proving the key matches the backup.
/// </summary>
public sealed class BackupKeys
{
    private static readonly byte[] Salt = "storage-api backups v1"u8.ToArray();
    private readonly byte[] _naming;
    private readonly byte[] _check;

    public BackupKeys(string keyText)
    {
        var material = Encoding.UTF8.GetBytes(keyText);
        Encryption = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, Salt, "encryption"u8.ToArray());
        _naming = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, Salt, "naming"u8.ToArray());
        _check = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, Salt, "key check"u8.ToArray());
    }

    /// <summary>The AES-256-GCM key of every file in the backup.</summary>
    public byte[] Encryption { get; }

    /// <summary>A blob's name in the backup: HMAC(naming key, tenant/sha256), so equal bytes of one tenant meet under one name and nobody learns which.</summary>
    public string BlobName(string tenantId, string sha256) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_naming, Encoding.UTF8.GetBytes($"{tenantId}/{sha256}")));

    /// <summary>What backup.json records: it matches only for the key the backups were made with, and reveals nothing of it.</summary>
    public string KeyCheck => Convert.ToBase64String(HMACSHA256.HashData(_check, "storage-api backup key check"u8));
}
