using System.CommandLine;
using Storagectl.Configuration;
using Storagectl.Dashboard;
using static Storagectl.Cli.CommonOptions;

namespace Storagectl.Cli;

/// <summary>`storagectl dashboard`: the fleet in a browser, on 127.0.0.1 only, behind a token in the URL it prints.</summary>
public static class DashboardVerb
{
    private static readonly Option<string[]> EnvironmentsOption = new("--env", "-e")
    {
        Description = "environments to show (repeat the option; default: every environment of the configuration)",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<int> PortOption = new("--port", "-p")
    {
        Description = "port on 127.0.0.1 (default 0: a free one)",
        CustomParser = result =>
        {
            if (int.TryParse(result.Tokens.LastOrDefault()?.Value, out var port) && port is >= 0 and <= 65535) return port;
            result.AddError("--port: give a number from 0 to 65535");
            return 0;
        },
    };

    private static readonly Option<bool> ReadOnlyOption = new("--read-only") { Description = "show only, with no actions (a wall screen)" };

    public static Command Dashboard()
    {
        var command = new Command("dashboard", "serve a page of the fleet (status, history, traffic, runs; rollback and stale-lock release) on 127.0.0.1 behind a token")
            { EnvironmentsOption, PortOption, ReadOnlyOption };
        command.SetGuardedAction(async (parse, cancel) =>
        {
            var config = LoadConfig(parse);
            var names = parse.GetValue(EnvironmentsOption) is { Length: > 0 } chosen ? chosen.Distinct() : config.Environments.Keys;
            var settings = new DashboardSettings(config, [.. names.Select(config.Environment)], parse.GetValue(ReadOnlyOption), $"{Operator.Who()} (dashboard)");
            var port = parse.GetValue(PortOption);
            await using var app = DashboardExtensions.BuildDashboard(settings, port);
            try
            {
                await app.StartAsync(cancel);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"error: cannot listen on 127.0.0.1:{port}: {e.InnerException?.Message ?? e.Message}; choose another --port, or 0 for a free one");
                return 1;
            }
            var address = new Uri(app.Urls.First());
            Console.WriteLine($"storagectl dashboard of {string.Join(", ", settings.Environments.Select(e => e.Name))}{(settings.ReadOnly ? " (read-only)" : "")}: open");
            Console.WriteLine($"  http://127.0.0.1:{address.Port}/?{TokenGate.QueryName}={settings.Token}");
            Console.WriteLine("stop it with Ctrl+C");
            try { await Task.Delay(Timeout.Infinite, cancel); }
            catch (OperationCanceledException) { }
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
