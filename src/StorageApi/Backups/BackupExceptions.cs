namespace StorageApi.Backups;

/// <summary>A backup cannot be taken, read or restored; the message says why in one line, for an operator.</summary>
public class BackupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>BACKUP_KEY is not the key the backups at the target were made with.</summary>
public sealed class BackupKeyMismatchException(string target)
    : BackupException($"BACKUP_KEY does not match the key these backups were made with ({target})");

/// <summary>A file of the backup fails authentication: altered, truncated, reordered, or swapped with another.</summary>
public sealed class BackupDamagedException(string file, string why)
    : BackupException($"backup file {file} is damaged or was altered: {why}");
