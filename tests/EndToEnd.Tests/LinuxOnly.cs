// These tests start sshd and nginx and deploy to POSIX hosts: they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
