using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text.Json;
using Storagectl.Planning;
using Storagectl.Processes;

namespace Storagectl.Hosts;

/// <summary>How the executor runs the steps that involve two hosts or wait on a service: pipes, write drains, verify matches.</summary>
public static class MoveStepRunner
{
    private const string StoppedPrefix = "stopped because ";

    /// <summary>Sender's stdout -> storagectl (hashing) -> receiver's stdin; then the place script, only when both ends succeeded.</summary>
    public static async Task<CommandResult> PipeAsync(HostConnection from, HostConnection to, PipeStep step, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        var sending = Task.Run(async () =>
        {
            try
            {
                await using var counted = new TeeStream(pipe.Writer.AsStream(leaveOpen: true), chunk => { hash.AppendData(chunk.Span); bytes += chunk.Length; });
                var sent = await from.DownloadAsync(step.Send, counted, stop.Token);
                // A sender that failed must not look like a complete copy: the receiver is stopped before it sees the end.
                if (!sent.Succeeded) await stop.CancelAsync();
                return sent;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new CommandResult(1, "", StoppedPrefix + "the receiving side failed");
            }
            catch (IOException e)
            {
                return new CommandResult(255, "", e.Message);
            }
            finally
            {
                await pipe.Writer.CompleteAsync();
            }
        }, CancellationToken.None);
        var receiving = Task.Run(async () =>
        {
            try
            {
                await using var input = pipe.Reader.AsStream(leaveOpen: true);
                var received = await to.RunAsync(step.Receive, input, stop.Token);
                if (!received.Succeeded) await stop.CancelAsync();
                return received;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new CommandResult(1, "", StoppedPrefix + "the sending side failed");
            }
            finally
            {
                await pipe.Reader.CompleteAsync();
            }
        }, CancellationToken.None);
        var (sentResult, receivedResult) = (await sending, await receiving);
        cancellationToken.ThrowIfCancellationRequested();
        // Whichever end failed first is the reason; the other was stopped because of it.
        var receiverFirst = !receivedResult.Succeeded && (sentResult.Succeeded || sentResult.Errors.StartsWith(StoppedPrefix, StringComparison.Ordinal));
        if (!sentResult.Succeeded && !receiverFirst) return sentResult with { Errors = $"sending from {from.Name} failed: {sentResult.Reason}" };
        if (!receivedResult.Succeeded) return receivedResult with { Errors = $"receiving on {to.Name} failed: {receivedResult.Reason}" };
        if (step.Place is null) return new CommandResult(0, $"{bytes} bytes", "");
        var placed = await to.RunAsync(step.Place, Convert.ToHexStringLower(hash.GetHashAndReset()) + "\n", cancellationToken);
        return placed.Succeeded ? placed with { Output = $"{bytes} bytes" } : placed;
    }

    /// <summary>Until every port reports its writes held with none in flight, or the time is up.</summary>
    public static async Task<CommandResult> DrainAsync(HostConnection connection, WriteDrainStep step, TimeProvider clock, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow().AddSeconds(step.TimeoutSeconds);
        var last = "";
        while (true)
        {
            var states = await Task.WhenAll(step.Ports.Select(async port =>
            {
                var (status, body) = await HealthProbe.GetAsync(connection, port, step.Path, Math.Max(1, step.TimeoutSeconds), cancellationToken);
                return (Port: port, State: WriteHoldOf(status, body));
            }));
            if (states.All(s => s.State is { Held: true, InFlight: 0 })) return new CommandResult(0, "", "");
            last = string.Join("; ", states.Select(s => s.State is { } state
                ? $"port {s.Port}: {(state.Held ? "held" : "not held")}, {state.InFlight} writes in flight"
                : $"port {s.Port}: no writeHold in its /health (a release without the write hold?)"));
            if (clock.GetUtcNow() >= until) return new CommandResult(1, "", $"writes not drained after {step.TimeoutSeconds}s: {last}");
            await Task.Delay(TimeSpan.FromMilliseconds(step.IntervalMilliseconds), clock, cancellationToken);
        }
    }

    /// <summary>The writeHold of a /health body: held, and writes in flight; null when the body has none.</summary>
    public static (bool Held, long InFlight)? WriteHoldOf(int status, string body)
    {
        if (status == 0) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("writeHold", out var hold)
                   && hold.TryGetProperty("held", out var held) && hold.TryGetProperty("inFlightWrites", out var inFlight)
                ? (held.ValueKind == JsonValueKind.True, inFlight.GetInt64())
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Runs verify on both hosts at once (the same stdin to both); both clean and equal on the compared fields.</summary>
    public static async Task<CommandResult> VerifyMatchAsync(HostConnection source, HostConnection target, VerifyMatchStep step, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(source.RunAsync(step.SourceScript, step.Input, cancellationToken), target.RunAsync(step.TargetScript, step.Input, cancellationToken));
        var (onSource, onTarget) = (results[0], results[1]);
        if (!onSource.Succeeded) return onSource with { Errors = $"verify on {source.Name} failed: {onSource.Reason}" };
        if (!onTarget.Succeeded) return onTarget with { Errors = $"verify on {target.Name} failed: {onTarget.Reason}" };
        return Compare(source.Name, LastLine(onSource.Output), target.Name, LastLine(onTarget.Output));
    }

    /// <summary>The two verify lines compared: exit 0 with a summary when they agree, else 1 naming what differs.</summary>
    public static CommandResult Compare(string sourceName, string sourceLine, string targetName, string targetLine)
    {
        Dictionary<string, string>? Read(string line)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
            }
            catch (JsonException)
            {
                return null;
            }
        }
        var (source, target) = (Read(sourceLine), Read(targetLine));
        if (source is null || target is null)
            return new CommandResult(1, "", $"verify printed no JSON line: {sourceName}: '{sourceLine}', {targetName}: '{targetLine}'");
        foreach (var (name, side) in new[] { (sourceName, source), (targetName, target) })
            if (side.GetValueOrDefault("missing", "0") != "0" || side.GetValueOrDefault("corrupt", "0") != "0")
                return new CommandResult(1, "", $"{name}: {side.GetValueOrDefault("missing")} blobs missing, {side.GetValueOrDefault("corrupt")} corrupt" +
                    (side.GetValueOrDefault("problems") is { } problems and not "[]" ? $": {problems}" : ""));
        var differing = VerifyMatchStep.ComparedFields.Where(f => source.GetValueOrDefault(f) != target.GetValueOrDefault(f)).ToList();
        if (differing.Count > 0)
            return new CommandResult(1, "", $"{sourceName} and {targetName} differ in {string.Join(", ", differing.Select(f => $"{f} ({source.GetValueOrDefault(f)} vs {target.GetValueOrDefault(f)})"))}");
        var digest = source.GetValueOrDefault("digest") ?? "";
        return new CommandResult(0, $"{source["objects"]} objects, {source["blobs"]} blobs, {source["bytes"]} bytes, digest {digest[..Math.Min(12, digest.Length)]}… on both", "");
    }

    private static string LastLine(string output) => output.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";

    /// <summary>A write-only stream that hands each chunk to <paramref name="observe"/> before passing it on.</summary>
    private sealed class TeeStream(Stream inner, Action<ReadOnlyMemory<byte>> observe) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            observe(buffer.AsMemory(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            observe(buffer);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
