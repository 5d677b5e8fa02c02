using System.Diagnostics;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>A real nginx master with its own configuration, pid file and sites folder that storagectl provisions.</summary>
public sealed class Nginx : IAsyncDisposable
{
    private Nginx(string folder) => Folder = folder;

    public string Folder { get; }
    public string Config => Path.Combine(Folder, "nginx.conf");
    public string Sites => Path.Combine(Folder, "sites");

    public static async Task<Nginx> StartAsync(string folder)
    {
        var nginx = new Nginx(folder);
        Directory.CreateDirectory(nginx.Sites);
        Directory.CreateDirectory(Path.Combine(folder, "tmp"));
        await File.WriteAllTextAsync(nginx.Config, $$"""
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log;
            worker_processes 1;
            events { worker_connections 512; }
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{folder}}/tmp/body;
                proxy_temp_path {{folder}}/tmp/proxy;
                fastcgi_temp_path {{folder}}/tmp/fastcgi;
                uwsgi_temp_path {{folder}}/tmp/uwsgi;
                scgi_temp_path {{folder}}/tmp/scgi;
                include {{nginx.Sites}}/*.conf;
            }
            """);
        await TestProcess.RequireAsync("nginx", "-c", nginx.Config);
        return nginx;
    }

    public async ValueTask DisposeAsync() => await TestProcess.RunAsync(new ProcessStartInfo("nginx", ["-s", "stop", "-c", Config]));
}
