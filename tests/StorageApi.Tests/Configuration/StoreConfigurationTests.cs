using StorageApi.Configuration;
using StorageApi.ObjectStores;

namespace StorageApi.Tests.Configuration;

/// <summary>BLOB_STORE_URL, S3_* and BACKUP_*: read once, every mistake named, nothing half-configured.</summary>
public sealed class StoreConfigurationTests
{
    private const string BackupKey = "bK7dQ2wX9mZ4rT6yU1pL8sF3hJ5gN0cV";

    private static ConfigurationReport Read(TempFolder folder, params (string Key, string Value)[] variables) =>
        ConfigurationReader.Read(variables.ToDictionary(v => v.Key, v => (string?)v.Value), folder.Path);

    [Fact]
    public void The_default_blob_store_is_the_data_directorys_blobs_folder()
    {
        using var folder = new TempFolder();
        var settings = Read(folder).Settings!;

        settings.BlobStoreUrl.Text.ShouldBe("file:");
        settings.BlobStoreUrl.Folder.ShouldBe(folder.Combine("data", "blobs"));
        settings.Backup.ShouldBeNull();
    }

    [Fact]
    public void An_s3_blob_store_with_its_endpoint_and_keys_is_read()
    {
        using var folder = new TempFolder();
        var report = Read(folder,
            (KnownVariables.BlobStoreUrl, "s3://acme-blobs/prod/v1/"), (KnownVariables.S3Endpoint, "http://127.0.0.1:9000"),
            (KnownVariables.S3ForcePathStyle, "true"), (KnownVariables.S3Region, "eu-central-1"),
            (KnownVariables.S3AccessKeyId, "AKIAEXAMPLE"), (KnownVariables.S3SecretAccessKey, "s3cr3t"));

        report.IsValid.ShouldBeTrue(string.Join("; ", report.Errors));
        var settings = report.Settings!;
        settings.BlobStoreUrl.Text.ShouldBe("s3://acme-blobs/prod/v1");
        (settings.BlobStoreUrl.Bucket, settings.BlobStoreUrl.Prefix).ShouldBe(("acme-blobs", "prod/v1"));
        settings.S3.ShouldBe(new S3Settings { Endpoint = "http://127.0.0.1:9000", ForcePathStyle = true, Region = "eu-central-1", AccessKeyId = "AKIAEXAMPLE", SecretAccessKey = "s3cr3t" });
    }

    [Theory]
    [InlineData("s3://", "no valid bucket name")]
    [InlineData("s3://Acme_Blobs", "no valid bucket name")]
    [InlineData("s3://acme/../etc", "prefix with characters")]
    [InlineData("file:relative/blobs", "absolute folder")]
    [InlineData("ftp://host/blobs", "neither file: (a folder) nor s3://bucket/prefix")]
    public void A_blob_store_url_that_names_no_store_is_an_error(string value, string expected)
    {
        using var folder = new TempFolder();
        var report = Read(folder, (KnownVariables.BlobStoreUrl, value));

        report.IsValid.ShouldBeFalse();
        report.Errors.ShouldContain(e => e.StartsWith(KnownVariables.BlobStoreUrl) && e.Contains(expected));
    }

    [Fact]
    public void S3_settings_that_cannot_work_are_errors()
    {
        using var folder = new TempFolder();
        var report = Read(folder, (KnownVariables.S3Endpoint, "127.0.0.1:9000"), (KnownVariables.S3ForcePathStyle, "yes"),
            (KnownVariables.S3AccessKeyId, "AKIAEXAMPLE"));

        report.Errors.ShouldContain(e => e.StartsWith(KnownVariables.S3Endpoint) && e.Contains("not an http(s) URL"));
        report.Errors.ShouldContain(e => e.StartsWith(KnownVariables.S3ForcePathStyle) && e.Contains("true or false"));
        report.Errors.ShouldContain(e => e.Contains("set both or neither"));
    }

    [Fact]
    public void Backups_to_a_folder_with_a_key_and_an_interval_are_read()
    {
        using var folder = new TempFolder();
        var report = Read(folder, (KnownVariables.BackupUrl, "/mnt/backup/acme"), (KnownVariables.BackupKey, BackupKey),
            (KnownVariables.BackupInterval, "1h"), (KnownVariables.BackupKeepDaily, "30"));

        report.IsValid.ShouldBeTrue(string.Join("; ", report.Errors));
        var backup = report.Settings!.Backup!;
        backup.Url.Text.ShouldBe("file:///mnt/backup/acme");
        backup.Interval.ShouldBe(TimeSpan.FromHours(1));
        (backup.KeepHourly, backup.KeepDaily).ShouldBe((24, 30));
    }

    [Theory]
    [InlineData(KnownVariables.BackupUrl, "file:", "the blob folder itself")]
    [InlineData(KnownVariables.BackupInterval, "30s", "at least a minute")]
    [InlineData(KnownVariables.BackupInterval, "15", "at least a minute")]
    [InlineData(KnownVariables.BackupKey, "short", "too short")]
    public void Backup_settings_that_cannot_work_are_errors(string name, string value, string expected)
    {
        using var folder = new TempFolder();
        var variables = new Dictionary<string, string> { [KnownVariables.BackupUrl] = "/mnt/backup", [KnownVariables.BackupKey] = BackupKey, [name] = value };
        var report = Read(folder, [.. variables.Select(v => (v.Key, v.Value))]);

        report.IsValid.ShouldBeFalse();
        report.Errors.ShouldContain(e => e.Contains(expected));
    }

    [Fact]
    public void Backups_without_a_key_or_a_key_without_backups_are_errors_even_in_development()
    {
        using var folder = new TempFolder();
        Read(folder, (KnownVariables.BackupUrl, "/mnt/backup")).Errors.ShouldContain(e => e.Contains($"{KnownVariables.BackupKey} is missing"));
        Read(folder, (KnownVariables.BackupKey, BackupKey)).Errors.ShouldContain(e => e.Contains($"{KnownVariables.BackupUrl} is not"));
    }
}
