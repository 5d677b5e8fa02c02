using System.Diagnostics;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// A "host": a real sshd on 127.0.0.1 with its own port, host key and authorised client key, a root folder for
/// storagectl, and its own nginx. Stopping sshd makes the host unreachable, as a host that is down.
/// </summary>
public sealed class SshHost : IAsyncDisposable
{
    private Process? _sshd;

    private SshHost(string name, string folder)
    {
        Name = name;
        Folder = folder;
        Directory.CreateDirectory(Root);
    }

    public string Name { get; }
    public string Folder { get; }
    public string Root => Path.Combine(Folder, "srv");
    public int SshPort { get; private set; }
    public string HostPublicKey { get; private set; } = "";
    public Nginx Nginx { get; private set; } = null!;

    public static async Task<SshHost> StartAsync(string name, string folder, string clientPublicKeyFile)
    {
        var host = new SshHost(name, folder);
        var keyFile = Path.Combine(folder, "ssh_host_ed25519_key");
        await TestProcess.RequireAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keyFile);
        host.HostPublicKey = (await File.ReadAllTextAsync(keyFile + ".pub")).Trim();
        File.Copy(clientPublicKeyFile, Path.Combine(folder, "authorized_keys"));
        host.SshPort = FreePort.Next();
        await File.WriteAllTextAsync(Path.Combine(folder, "sshd_config"), $"""
            ListenAddress 127.0.0.1
            Port {host.SshPort}
            HostKey {keyFile}
            AuthorizedKeysFile {folder}/authorized_keys
            PidFile {folder}/sshd.pid
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin yes
            StrictModes no
            UsePAM no
            MaxSessions 50
            MaxStartups 50
            """);
        Directory.CreateDirectory("/run/sshd"); // privilege separation directory sshd insists on
        await host.StartSshdAsync();
        host.Nginx = await Nginx.StartAsync(Path.Combine(folder, "nginx"));
        return host;
    }

    public async Task StartSshdAsync()
    {
        _sshd = TestProcess.Start(new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-e", "-f", Path.Combine(Folder, "sshd_config")]));
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", SshPort);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                if (_sshd.HasExited) throw new InvalidOperationException($"sshd for {Name} exited with {_sshd.ExitCode}");
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"sshd for {Name} did not listen");
    }

    /// <summary>The host goes down: sshd and every session it serves are killed.</summary>
    public async Task StopSshdAsync()
    {
        if (_sshd is null || _sshd.HasExited) return;
        _sshd.Kill(entireProcessTree: true);
        await _sshd.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopSshdAsync();
        // Stop the services storagectl started on this host (plain processes with pid files).
        foreach (var pidFile in Directory.Exists(Root) ? Directory.EnumerateFiles(Root, "*.pid", SearchOption.AllDirectories) : [])
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
                try { Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        await Nginx.DisposeAsync();
    }
}
