using StorageApi.Configuration;
using StorageApi.Data;
using StorageApi.Errors;
using StorageApi.Tenancy;

namespace StorageApi.Cli;

/// <summary>
/// The admin verbs of the <c>storage-api</c> binary, used by operators and by the deploy tool:
/// exit 0 on success, 1 on failure (one line per problem on stderr), 2 on a usage error.
/// </summary>
public static class AdminCommands
{
    public const string Usage = """
        usage: storage-api                                  serve HTTP (URLS, default http://localhost:5080)
               storage-api --version                        print version+commit
               storage-api check-config                     validate the configuration, list every problem
               storage-api variables                        list the environment variables the service reads, one a line
               storage-api openapi                          print the OpenAPI document (JSON) that the server serves
               storage-api migrate [--pending]              apply (or list) database migrations
               storage-api backup <file>                    write a consistent copy of the database
               storage-api restore <file> [--discard-newer] put a backup back into the database (says what it discards)
               storage-api backup-now                       take an encrypted off-host backup now (BACKUP_URL, BACKUP_KEY)
               storage-api backups list                     list the snapshots at BACKUP_URL
               storage-api restore-from <url> [--at <time>] restore the newest snapshot (at or before an ISO 8601 time)
                                                            into an empty data directory and database
               storage-api tenants create <id> [--name N]   create a tenant
               storage-api tenants list
               storage-api keys create <tenant> [--name N]  create an API key (printed once, on stdout)
               storage-api keys list <tenant>
               storage-api keys revoke <tenant> <key-id>
               storage-api blobs migrate --to <url> [--tenant <id>]
                                                            copy blobs to another store, verified, and switch to it
               storage-api write-hold on [--reason <text>] [--retry-after <seconds, default 5>]
                                                            hold writes on every instance of the database: they answer 503, reads keep working
               storage-api write-hold off | write-hold status
               storage-api verify [--rehash]                count objects, blobs and bytes, digest them, check every blob is stored
                                                            (--rehash: and its sha256); one JSON line, exit 1 naming what is missing or corrupt
               storage-api verify --list                    one line per object: <id> <sha256> <size>, ordered by id
        """;

    private static readonly HashSet<string> Verbs = ["check-config", "variables", "migrate", "backup", "restore", "backup-now", "backups", "restore-from", "tenants", "keys", "blobs", "write-hold", "verify", "help", "--help", "-h"];

    /// <summary>Any argument at all means a verb: the server itself takes none, so a misspelt option never starts it.</summary>
    public static bool Handles(string[] args) => args.Length > 0;

    /// <summary>Prints warnings and errors; true when the configuration can be used.</summary>
    public static bool ReportProblems(ConfigurationReport report)
    {
        foreach (var warning in report.Warnings) Console.Error.WriteLine($"warning: {warning}");
        foreach (var error in report.Errors) Console.Error.WriteLine($"error: {error}");
        return report.IsValid;
    }

    public static async Task<int> RunAsync(string[] args, ConfigurationReport report)
    {
        if (args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (!Verbs.Contains(args[0])) return UsageError($"unknown command '{args[0]}'");
        if (args is ["variables"]) // a fact about this build, so it needs no valid configuration (deploy tools read it)
        {
            foreach (var name in KnownVariables.All) Console.WriteLine(name);
            return 0;
        }
        // Understand the command line first: a usage error is exit 2 whatever the configuration, and writes nothing.
        Func<IServiceProvider, Task<int>>? command;
        try
        {
            command = Parse(args);
        }
        catch (FormatException e) // an option's value that cannot be used, e.g. a store URL: its parser's message
        {
            return UsageError(e.Message);
        }
        if (command is null) return UsageError($"cannot understand '{string.Join(' ', args)}'");
        if (!ReportProblems(report)) return 1;
        var settings = report.Settings!;
        if (args is ["check-config"]) // a check changes nothing, so development keys are not generated here
        {
            Console.WriteLine($"configuration is valid: environment={settings.Environment}, tenant={settings.TenantId ?? "(any)"}, " +
                              $"database={settings.Database.Display}, data={settings.DataDirectory}");
            return 0;
        }

        await using var services = BuildServices(DevelopmentSecrets.Fill(settings));
        try
        {
            return await command(services);
        }
        catch (Exception e) when (e is DomainException or Backups.BackupException or ObjectStores.ObjectStoreUnavailableException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or InvalidDataException or System.Data.Common.DbException
                                   or ObjectStores.ObjectStoreUnavailableException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>The verb <paramref name="args"/> asks for, ready to run on the services; null when the arguments do not fit it.</summary>
    private static Func<IServiceProvider, Task<int>>? Parse(string[] args) => args switch
    {
        ["check-config"] => _ => Task.FromResult(0), // answered before any service exists
        ["migrate"] => MigrateAsync,
        ["migrate", "--pending"] => ListPendingAsync,
        ["backup", var file] => services => BackupAsync(services, file),
        ["restore", var file] => services => RestoreAsync(services, file, discardNewer: false),
        ["restore", var file, "--discard-newer"] => services => RestoreAsync(services, file, discardNewer: true),
        ["backup-now"] => BackupCommands.BackupNowAsync,
        ["backups", "list"] => BackupCommands.ListAsync,
        ["restore-from", var url, .. var rest] when Option(rest, "--at", out var at) && BackupCommands.TryParseTime(at, out var time) =>
            services => BackupCommands.RestoreFromAsync(services, url, time),
        ["tenants", "create", var id, .. var rest] when Option(rest, "--name", out var name) =>
            services => WithDirectoryAsync(services, async d => Print(await d.CreateTenantAsync(id, name ?? id))),
        ["tenants", "list"] => services => WithDirectoryAsync(services, async d =>
        {
            foreach (var t in await d.ListTenantsAsync()) Console.WriteLine($"{t.Id}\t{t.Name}\t{t.ActiveKeys} active keys");
        }),
        ["keys", "create", var tenant, .. var rest] when Option(rest, "--name", out var name) =>
            services => WithDirectoryAsync(services, async d =>
            {
                var key = await d.CreateKeyAsync(tenant, name);
                Console.Error.WriteLine($"created key {key.Id} ({key.Name}) for tenant {key.TenantId}; it is shown only once:");
                Console.WriteLine(key.Key);
            }),
        ["keys", "list", var tenant] => services => WithDirectoryAsync(services, async d =>
        {
            foreach (var k in await d.ListKeysAsync(tenant))
                Console.WriteLine($"{k.Id}\t{k.Name}\t{k.Prefix}…\t{(k.RevokedAt is null ? "active" : $"revoked {k.RevokedAt:O}")}");
        }),
        // Returns once every running instance refuses the key: their cached answers expire within ChangeWatcher.MaxAge of the commit.
        ["keys", "revoke", var tenant, var keyId] => services => WithDirectoryAsync(services, async d =>
        {
            await d.RevokeKeyAsync(tenant, keyId);
            await Task.Delay(ChangeWatcher.MaxAge);
        }),
        ["blobs", .. var rest] => BlobsCommand.Parse(rest),
        ["write-hold", .. var rest] => WriteHoldCommand.Parse(rest),
        ["verify", .. var rest] => VerifyCommand.Parse(rest),
        _ => null,
    };

    /// <summary>The server's own services, without the server: nothing is started, so no worker runs beside a verb.</summary>
    private static ServiceProvider BuildServices(StorageSettings settings) =>
        new ServiceCollection().AddLogging().AddStorageServices(settings).BuildServiceProvider();

    private static async Task<int> MigrateAsync(IServiceProvider services)
    {
        var applied = await services.GetRequiredService<DatabaseMaintenance>().MigrateAsync();
        Console.WriteLine(applied.Count == 0 ? "database is up to date" : $"applied {applied.Count} migrations: {string.Join(", ", applied)}");
        return 0;
    }

    private static async Task<int> ListPendingAsync(IServiceProvider services)
    {
        foreach (var name in await services.GetRequiredService<DatabaseMaintenance>().PendingMigrationsAsync()) Console.WriteLine(name);
        return 0;
    }

    private static async Task<int> BackupAsync(IServiceProvider services, string file)
    {
        await services.GetRequiredService<DatabaseMaintenance>().BackupAsync(file);
        Console.WriteLine($"backup written to {Path.GetFullPath(file)}");
        return 0;
    }

    /// <summary>Says what a restore discards, and refuses to discard anything unless asked to.</summary>
    private static async Task<int> RestoreAsync(IServiceProvider services, string file, bool discardNewer)
    {
        var maintenance = services.GetRequiredService<DatabaseMaintenance>();
        WritesSince? discarded;
        try
        {
            discarded = await maintenance.WritesSinceAsync(file);
        }
        catch (System.Data.Common.DbException e) when (discardNewer)
        {
            // A live database that cannot be read (corrupt, half migrated) is what a forced restore is for.
            Console.Error.WriteLine($"warning: cannot count what the restore discards: {e.Message}");
            discarded = null;
        }
        if (discarded is { Any: true } && !discardNewer)
        {
            Console.Error.WriteLine($"error: restoring {Path.GetFullPath(file)} would discard {discarded}; nothing was restored (add --discard-newer to restore anyway)");
            return 1;
        }
        await maintenance.RestoreAsync(file);
        Console.WriteLine($"database restored from {Path.GetFullPath(file)}" + (discarded is { Any: true } ? $"; discarded {discarded}" : ""));
        return 0;
    }

    /// <summary>Runs a tenant operation on an up-to-date database (development migrates itself, as the server does).</summary>
    private static async Task<int> WithDirectoryAsync(IServiceProvider services, Func<TenantDirectory, Task> action)
    {
        if (!await RequireUpToDateDatabaseAsync(services)) return 1;
        await using var scope = services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<TenantDirectory>());
        return 0;
    }

    /// <summary>False, having said so, when migrations are pending; development migrates itself, as the server does.</summary>
    public static async Task<bool> RequireUpToDateDatabaseAsync(IServiceProvider services)
    {
        var maintenance = services.GetRequiredService<DatabaseMaintenance>();
        if (services.GetRequiredService<StorageSettings>().IsDevelopment) await maintenance.MigrateAsync();
        else if ((await maintenance.PendingMigrationsAsync()).Count > 0)
        {
            Console.Error.WriteLine("error: the database has pending migrations; run 'storage-api migrate' first");
            return false;
        }
        return true;
    }

    private static void Print(TenantView tenant) => Console.WriteLine($"created tenant {tenant.Id} ({tenant.Name})");

    private static bool Option(string[] rest, string name, out string? value)
    {
        value = null;
        if (rest.Length == 0) return true;
        if (rest.Length == 2 && rest[0] == name) value = rest[1];
        return value is not null;
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
