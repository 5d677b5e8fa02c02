using StorageApi.ObjectStores;

namespace StorageApi.Configuration;

/// <summary>
/// Off-host backups: where (BACKUP_URL), how often (BACKUP_INTERVAL), the key they are encrypted with (BACKUP_KEY) and
/// how many snapshots retention keeps (the newest of each of the last BACKUP_KEEP_HOURLY hours and BACKUP_KEEP_DAILY days).
/// </summary>
public sealed record BackupSettings
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(15);
    public const int DefaultKeepHourly = 24;
    public const int DefaultKeepDaily = 14;

    public required ObjectStoreUrl Url { get; init; }
    public TimeSpan Interval { get; init; } = DefaultInterval;
    public required string Key { get; init; }
    public int KeepHourly { get; init; } = DefaultKeepHourly;
    public int KeepDaily { get; init; } = DefaultKeepDaily;
}
