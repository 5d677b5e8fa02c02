// storage-api: serves the HTTP API, or runs one admin verb (see Cli/AdminCommands.cs).
using StorageApi;
using StorageApi.Cli;
using StorageApi.Configuration;
using StorageApi.Health;
using StorageApi.OpenApi;

if (args is ["--version"])
{
    Console.WriteLine(BuildInfo.Current);
    return 0;
}

if (args is ["openapi"]) return await OpenApiDocumentCommand.RunAsync(Console.Out);

var configuration = ConfigurationReader.ReadProcessEnvironment(Directory.GetCurrentDirectory());
if (AdminCommands.Handles(args)) return await AdminCommands.RunAsync(args, configuration);
if (!AdminCommands.ReportProblems(configuration)) return 1;

var app = StorageApplication.Build(configuration.Settings!);
await StorageApplication.PrepareAsync(app);
await app.RunAsync();
return 0;
